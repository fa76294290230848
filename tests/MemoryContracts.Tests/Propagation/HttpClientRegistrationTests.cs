using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Propagation;

public class HttpClientRegistrationTests
{
    private static async Task<StubInnerHandler> CallThroughAsync(ServiceProvider sp, string clientName, string uri = "http://inventory/")
    {
        sp.Publish(PressureLevel.Normal, usagePercent: 42, contractVersion: "v7.3");
        using var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
        await client.GetAsync(new Uri(uri));
        return sp.GetRequiredService<StubRegistry>().Get(clientName);
    }

    private static ServiceProvider Build(bool propagateToAll, Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<StubRegistry>();
        services.AddMemoryContracts(o =>
        {
            o.Contract = PropagationTestContracts.With();
            o.PropagateToAllHttpClients = propagateToAll;
        });
        services.AddManualPressure();
        configure(services);
        return services.BuildServiceProvider();
    }

    private static IHttpClientBuilder AddStubbedClient(IServiceCollection services, string name) =>
        services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<StubRegistry>().Get(name));

    [Fact]
    public async Task AddMemoryContracts_PropagateToAll_EveryClientSendsHeadersOnce()
    {
        using var sp = Build(propagateToAll: true, services =>
        {
            AddStubbedClient(services, "plain");
            AddStubbedClient(services, "explicit").AddMemoryContractHeaders().AddMemoryContractHeaders();
        });

        var plain = await CallThroughAsync(sp, "plain");
        var explicitClient = await CallThroughAsync(sp, "explicit");

        Assert.Equal("42%", plain.LastMemoryHeaders["X-Memory-Usage"]);
        Assert.Equal("42%", explicitClient.LastMemoryHeaders["X-Memory-Usage"]);
        Assert.Equal(1, CountHandlers(sp, "explicit"));
        Assert.Equal(1, CountHandlers(sp, "plain"));
    }

    [Fact]
    public async Task AddMemoryContracts_PropagateToAllOff_OnlyExplicitClientSendsHeaders()
    {
        using var sp = Build(propagateToAll: false, services =>
        {
            AddStubbedClient(services, "plain");
            AddStubbedClient(services, "explicit").AddMemoryContractHeaders();
        });

        Assert.Empty((await CallThroughAsync(sp, "plain")).LastMemoryHeaders);
        Assert.Equal("v7.3", (await CallThroughAsync(sp, "explicit")).LastMemoryHeaders["X-Memory-Contract"]);
    }

    [Fact]
    public void AddMemoryContracts_CalledTwice_RegistersOneFilter()
    {
        var services = new ServiceCollection();
        services.AddMemoryContracts();
        services.AddMemoryContracts();
        Assert.Single(services, d => d.ImplementationType == typeof(MemoryContractHeadersHandlerFilter));
    }

    [Fact]
    public void AddMemoryContractHeaders_WithoutAddMemoryContracts_ThrowsClearError()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("x").AddMemoryContractHeaders();
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IHttpClientFactory>().CreateClient("x"));
        Assert.Contains("AddMemoryContracts()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMemoryContracts_ClientWithHandler_RedirectsMovedFromPrimaryIntoOurHandler()
    {
        using var sp = Build(propagateToAll: false, services =>
        {
            services.AddHttpClient("default").AddMemoryContractHeaders();
            services.AddHttpClient("sockets").AddMemoryContractHeaders().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxAutomaticRedirections = 4 });
            services.AddHttpClient("without");
        });

        Assert.False(AllowsAutoRedirect(sp, "default"));
        Assert.False(AllowsAutoRedirect(sp, "sockets"));
        Assert.True(AllowsAutoRedirect(sp, "without"));
    }

    [Fact]
    public void AddMemoryContracts_PrimaryWithNetworkCredentials_LeftFollowingAndWarnedOnce()
    {
        var logs = new FakeLoggerProvider();
        using var sp = Build(propagateToAll: true, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddHttpClient("ntlm").ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { Credentials = new NetworkCredential("user", "secret") });
        });

        Assert.True(AllowsAutoRedirect(sp, "ntlm"));
        Assert.True(AllowsAutoRedirect(sp, "ntlm"));

        var warning = Assert.Single(logs.WithEvent(409));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("'ntlm'", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>Builds the client's handler chain and reads its primary handler's AllowAutoRedirect.</summary>
    private static bool AllowsAutoRedirect(ServiceProvider sp, string name)
    {
        using var handler = sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
        HttpMessageHandler primary = handler;
        while (primary is DelegatingHandler { InnerHandler: { } inner })
        {
            primary = inner;
        }

        return primary switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"Unexpected primary handler {primary.GetType()}."),
        };
    }

    private static int CountHandlers(ServiceProvider sp, string name)
    {
        using var handler = sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
        var count = 0;
        for (HttpMessageHandler? h = handler; h is DelegatingHandler d; h = d.InnerHandler)
        {
            count += h is MemoryContractHeadersHandler ? 1 : 0;
        }

        return count;
    }

    /// <summary>One stub primary handler per client name, so tests can look at what each client sent.</summary>
    private sealed class StubRegistry
    {
        private readonly Dictionary<string, StubInnerHandler> _stubs = [];

        public StubInnerHandler Get(string name)
        {
            lock (_stubs)
            {
                if (!_stubs.TryGetValue(name, out var stub))
                {
                    _stubs[name] = stub = new StubInnerHandler();
                }

                return stub;
            }
        }
    }
}
