using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class EndpointModuleMapTests
{
    private static EndpointModuleMap NewMap() => new(new MemoryContract
    {
        Modules =
        [
            new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true },
        ],
    });

    private static RouteEndpoint Route(string pattern, params object[] metadata) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, new EndpointMetadataCollection(metadata), pattern);

    [Fact]
    public void GetPolicy_SameEndpointTwice_ReturnsTheCachedPolicy()
    {
        var map = NewMap();
        var endpoint = Route("/catalog/{id}");

        var first = map.GetPolicy(endpoint);

        Assert.Same(first, map.GetPolicy(endpoint));
        Assert.Equal("catalog", first.Module?.Name);
    }

    [Fact]
    public void GetPolicy_MetadataAndRoutes_ResolvesEachEndpointsOwnModule()
    {
        var map = NewMap();
        var byRoute = Route("/catalog/items");
        var byMetadata = Route("/pay", new MemoryContractAttribute("checkout"));
        var disabled = Route("/catalog/admin", new DisableMemorySheddingAttribute());

        Assert.Equal("catalog", map.GetPolicy(byRoute).Module?.Name);
        Assert.Equal("checkout", map.GetPolicy(byMetadata).Module?.Name);
        Assert.True(map.GetPolicy(disabled).NeverShed);
        Assert.False(map.GetPolicy(byRoute).NeverShed);
    }

    [Fact]
    public void GetPolicy_MoreEndpointsThanTheCacheHolds_StartsOverAndStillResolves()
    {
        var map = NewMap();
        var first = Route("/catalog/first");
        var cachedFirst = map.GetPolicy(first);
        for (var i = 1; i < EndpointModuleMap.MaxCachedPolicies; i++)
        {
            map.GetPolicy(Route($"/catalog/{i}"));
        }

        Assert.Same(cachedFirst, map.GetPolicy(first)); // still cached: the cache is full, not over

        map.GetPolicy(Route("/catalog/one-too-many")); // the cache starts over
        var rebuilt = map.GetPolicy(first);

        Assert.NotSame(cachedFirst, rebuilt);
        Assert.Equal("catalog", rebuilt.Module?.Name);
        Assert.Same(rebuilt, map.GetPolicy(first));
    }
}
