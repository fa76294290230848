using Microsoft.AspNetCore.Http;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class EndpointPolicyTableTests
{
    private static Endpoint NewEndpoint(int i) => new(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, $"e{i}");

    private static EndpointPolicy NewPolicy() => new(module: null, neverShed: false);

    [Fact]
    public void Find_Empty_ReturnsNull()
    {
        var table = new EndpointPolicyTable();

        Assert.Null(table.Find(NewEndpoint(0)));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void GetOrAdd_NewEndpoint_FindReturnsThatPolicy()
    {
        var table = new EndpointPolicyTable();
        var endpoint = NewEndpoint(0);
        var policy = NewPolicy();

        Assert.Same(policy, table.GetOrAdd(endpoint, policy));
        Assert.Same(policy, table.Find(endpoint));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void GetOrAdd_EndpointAlreadyThere_KeepsTheFirstPolicy()
    {
        var table = new EndpointPolicyTable();
        var endpoint = NewEndpoint(0);
        var first = NewPolicy();
        table.GetOrAdd(endpoint, first);

        Assert.Same(first, table.GetOrAdd(endpoint, NewPolicy()));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Find_EqualButDistinctEndpoint_ReturnsNull()
    {
        // Keyed by reference: two endpoints with the same display name are different endpoints.
        var table = new EndpointPolicyTable();
        table.GetOrAdd(NewEndpoint(0), NewPolicy());

        Assert.Null(table.Find(NewEndpoint(0)));
    }

    [Fact]
    public void GetOrAdd_ThousandsOfEndpoints_GrowsAndFindsEveryOne()
    {
        var table = new EndpointPolicyTable();
        var endpoints = Enumerable.Range(0, 5_000).Select(NewEndpoint).ToArray();
        var policies = endpoints.Select(_ => NewPolicy()).ToArray();

        for (var i = 0; i < endpoints.Length; i++)
        {
            table.GetOrAdd(endpoints[i], policies[i]);
        }

        Assert.Equal(endpoints.Length, table.Count);
        for (var i = 0; i < endpoints.Length; i++)
        {
            Assert.Same(policies[i], table.Find(endpoints[i]));
        }

        Assert.Null(table.Find(NewEndpoint(-1)));
    }

    [Fact]
    public async Task Find_WhileOtherThreadsAdd_NeverReturnsAnotherEndpointsPolicy()
    {
        var table = new EndpointPolicyTable();
        var endpoints = Enumerable.Range(0, 4_000).Select(NewEndpoint).ToArray();
        var policies = endpoints.Select(_ => NewPolicy()).ToArray();
        var wrong = 0;
        using var done = new CancellationTokenSource();

        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                for (var i = 0; i < endpoints.Length; i++)
                {
                    var found = table.Find(endpoints[i]);
                    if (found is not null && !ReferenceEquals(found, policies[i]))
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            }
        });
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (var i = w; i < endpoints.Length; i += 2)
            {
                table.GetOrAdd(endpoints[i], policies[i]);
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await done.CancelAsync();
        await reader;

        Assert.Equal(0, wrong);
        Assert.Equal(endpoints.Length, table.Count);
        Assert.All(Enumerable.Range(0, endpoints.Length), i => Assert.Same(policies[i], table.Find(endpoints[i])));
    }
}
