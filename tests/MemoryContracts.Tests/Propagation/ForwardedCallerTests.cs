using System.Net;
using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Propagation;

/// <summary>
/// A real Kestrel service reached from 127.0.0.1 (trusted by default), playing the service behind a
/// proxy that does not run <c>UseForwardedHeaders</c>: the forwarding headers on the request decide
/// whether it is the proxy's own call (trusted) or one relayed for an outsider.
/// </summary>
public sealed class ForwardedCallerTests
{
    private static async Task<(HttpResponseMessage Response, Dictionary<string, string> Echo)> SendAsync(KestrelTestService service, string path, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.BaseAddress, path));
        request.Headers.TryAddWithoutValidation("X-Memory-Usage", "99%");
        request.Headers.TryAddWithoutValidation("X-Memory-Contract", "v6.6.6");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response, response.StatusCode == HttpStatusCode.OK ? KestrelTestService.ParseEcho(body) : []);
    }

    private static void AssertNoneOfOurs(HttpResponseMessage response) =>
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-Memory-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("endpoint-load-metrics", StringComparison.OrdinalIgnoreCase));

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("X-Forwarded-For", "10.2.3.4, 203.0.113.7")]
    [InlineData("Forwarded", "for=\"[2001:db8::cafe]:443\";proto=https")]
    [InlineData("Forwarded", "for=unknown")]
    public async Task Request_TrustedProxyRelayingForAnOutsider_NotBelievedAndGetsNoneOfOurs(string header, string value)
    {
        await using var service = await KestrelTestService.StartAsync(PropagationTestContracts.With());
        service.Publish(usagePercent: 68);

        var (response, echo) = await SendAsync(service, "/echo", (header, value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoneOfOurs(response);
        Assert.Equal(string.Empty, echo["callerUsage"]);
        Assert.Equal(string.Empty, echo["callerContract"]);
        Assert.Equal("False", echo["bypass"]);
        Assert.Equal("False", echo["bypassActive"]);
        response.Dispose();
    }

    [Theory]
    [InlineData("X-Forwarded-For", "10.2.3.4")]
    [InlineData("X-Forwarded-For", "10.2.3.4:50123, 192.168.1.9, 127.0.0.1")]
    [InlineData("Forwarded", "for=10.2.3.4;proto=http;by=127.0.0.1, for=\"[::1]:5000\"")]
    public async Task Request_SidecarChainInsideTrustedNetworks_BelievedAndAnswered(string header, string value)
    {
        await using var service = await KestrelTestService.StartAsync(PropagationTestContracts.With());
        service.Publish(usagePercent: 68);

        var (response, echo) = await SendAsync(service, "/echo", (header, value));

        Assert.Equal("68%", Assert.Single(response.Headers.GetValues("X-Memory-Usage")));
        Assert.StartsWith("TEXT application_utilization=0.68,", Assert.Single(response.Headers.GetValues("endpoint-load-metrics")), StringComparison.Ordinal);
        Assert.Equal("99", echo["callerUsage"]);
        Assert.Equal("True", echo["bypass"]);
        response.Dispose();
    }

    [Theory]
    [InlineData("X-Forwarded-For", "10.2.3.4:")]
    [InlineData("X-Forwarded-For", "[fd00::1")]
    [InlineData("Forwarded", "for=\"10.2.3.4")]
    [InlineData("Forwarded", "for=10.2.3.4;;=x")]
    public async Task Request_MalformedForwardingHeader_ServedButTreatedAsUntrusted(string header, string value)
    {
        await using var service = await KestrelTestService.StartAsync(PropagationTestContracts.With());
        service.Publish(usagePercent: 68);

        var (response, echo) = await SendAsync(service, "/echo", (header, value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoneOfOurs(response);
        Assert.Equal(string.Empty, echo["callerUsage"]);
        response.Dispose();
    }

    [Fact]
    public async Task Request_ShedWhileRelayedForAnOutsider_StillShedWithoutOurHeaders()
    {
        await using var service = await KestrelTestService.StartAsync(PropagationTestContracts.With());
        service.Services.Publish(PressureLevel.Critical, usagePercent: 99, shedFraction: 1, contractVersion: "v7.3");

        var (relayed, _) = await SendAsync(service, "/echo", ("X-Forwarded-For", "203.0.113.7"));
        var (direct, _) = await SendAsync(service, "/echo");

        Assert.Equal(HttpStatusCode.TooManyRequests, relayed.StatusCode);
        AssertNoneOfOurs(relayed);
        Assert.Equal(HttpStatusCode.TooManyRequests, direct.StatusCode);
        Assert.Equal("99%", Assert.Single(direct.Headers.GetValues("X-Memory-Usage")));
        relayed.Dispose();
        direct.Dispose();
    }
}
