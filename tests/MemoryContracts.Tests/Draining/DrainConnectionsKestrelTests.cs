using System.Net;
using System.Net.Sockets;
using System.Text;
using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Draining;

/// <summary>
/// <c>drain_connections</c> on real Kestrel (DESIGN §11): while it is in force an HTTP/1.1 connection
/// is closed after its response and an HTTP/2 connection gets GOAWAY, so the client's next request
/// opens a new connection; once pressure steps down, connections are kept again.
/// </summary>
public sealed class DrainConnectionsKestrelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static MemoryContract Contract(MemoryContractMode mode = MemoryContractMode.Enforce, params string[] critical) => new()
    {
        Mode = mode,
        Modules = [new ModuleContract { Name = "app" }],
        Responses = new ResponsePolicy { Elevated = [], High = [], Critical = critical.Length == 0 ? ["drain_connections"] : critical },
    };

    private static async Task<string> GetAsync(HttpClient client, Uri uri, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, response.Version);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Sends one HTTP/1.1 request on an open socket and reads the response head and its body.</summary>
    private static async Task<string> RawRequestAsync(NetworkStream stream)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).AsTask().WaitAsync(Bound);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!IsComplete(received.ToString()))
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound);
            Assert.NotEqual(0, read);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    [Fact]
    public async Task Http11_DrainInForce_ResponseSaysCloseAndServerClosesTheSocket()
    {
        await using var service = await DrainingKestrel.StartAsync(Contract());
        service.Publish(PressureLevel.Critical);
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, service.Http1.Port).WaitAsync(Bound);
        var stream = socket.GetStream();

        var head = await RawRequestAsync(stream);

        Assert.Contains("Connection: close", head, StringComparison.OrdinalIgnoreCase);
        var read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(Bound);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Http11_DrainWithShedding_ShedResponseClosesTheSocketToo()
    {
        await using var service = await DrainingKestrel.StartAsync(Contract(MemoryContractMode.Enforce, "shed_requests", "drain_connections"));
        service.Services.Publish(PressureLevel.Critical, usagePercent: 97, shedFraction: 1);
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, service.Http1.Port).WaitAsync(Bound);
        var stream = socket.GetStream();

        var head = await RawRequestAsync(stream);

        Assert.StartsWith("HTTP/1.1 429", head, StringComparison.Ordinal);
        Assert.Contains("Connection: close", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task Http11_Normal_SocketServesASecondRequest()
    {
        await using var service = await DrainingKestrel.StartAsync(Contract());
        service.Publish(PressureLevel.Normal);
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, service.Http1.Port).WaitAsync(Bound);
        var stream = socket.GetStream();

        var first = await RawRequestAsync(stream);
        var second = await RawRequestAsync(stream);

        Assert.DoesNotContain("Connection: close", first, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 200", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http11_DrainInForceThenSteppedDown_NewConnectionPerRequestThenOneKept()
    {
        await using var service = await DrainingKestrel.StartAsync(Contract());
        var counting = new ConnectionCountingHandler();
        using var client = new HttpClient(counting.Handler);
        var uri = new Uri(service.Http1, "/hello");

        service.Publish(PressureLevel.Critical);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version11));
        }

        Assert.Equal(3, counting.Opened);

        service.Publish(PressureLevel.High);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version11));
        }

        Assert.Equal(4, counting.Opened);
    }

    [Fact]
    public async Task Http2_DrainInForce_ServerSendsGoAwayAndClientOpensANewConnection()
    {
        await using var service = await DrainingKestrel.StartAsync(Contract());
        var counting = new ConnectionCountingHandler();
        using var client = new HttpClient(counting.Handler);
        var uri = new Uri(service.Http2, "/hello");

        service.Publish(PressureLevel.Normal);
        Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version20));
        Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version20));
        Assert.Equal(1, counting.Opened);

        // GOAWAY lets the stream in flight finish: the request that asked for it still succeeds, the
        // connection then ends gracefully, and the next request needs a new one.
        service.Publish(PressureLevel.Critical);
        Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version20));
        await WaitUntilAsync(() => counting.Ended >= 1);
        Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version20));
        Assert.Equal(2, counting.Opened);

        // Stepped down: the connection drained last closes; the next one is kept for every further request.
        service.Publish(PressureLevel.High);
        await WaitUntilAsync(() => counting.Ended >= 2);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("hello", await GetAsync(client, uri, HttpVersion.Version20));
        }

        Assert.Equal(3, counting.Opened);
        Assert.Equal(2, counting.Ended);
    }

    [Fact]
    public async Task Http2_ShadowModeAtCritical_ConnectionKept()
    {
        await using var service = await DrainingKestrel.StartAsync(Contract(MemoryContractMode.Shadow));
        var counting = new ConnectionCountingHandler();
        using var client = new HttpClient(counting.Handler);
        service.Publish(PressureLevel.Critical);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("hello", await GetAsync(client, new Uri(service.Http2, "/hello"), HttpVersion.Version20));
        }

        Assert.Equal(1, counting.Opened);
        Assert.Equal(0, counting.Ended);
    }

    /// <summary>Whether a response head and its whole body (by Content-Length) have arrived.</summary>
    private static bool IsComplete(string received)
    {
        var end = received.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = received[..end];
        var line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = line is null ? 0 : int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return received.Length - end - 4 >= length;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within the bound");
            await Task.Delay(10);
        }
    }
}
