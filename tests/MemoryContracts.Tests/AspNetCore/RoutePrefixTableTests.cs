using Microsoft.AspNetCore.Routing.Patterns;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class RoutePrefixTableTests
{
    private static readonly EndpointModule Unassigned = new(null, core: false);
    private static readonly EndpointModule Orders = new("orders", core: false);
    private static readonly EndpointModule Payments = new("payments", core: true);
    private static readonly EndpointModule Root = new("root", core: false);

    private static RoutePrefixTable Table(params (string, EndpointModule)[] routes) => new(routes, Unassigned);

    [Theory]
    [InlineData("/orders", "/orders")]
    [InlineData("orders/", "/orders")]
    [InlineData(" /orders/ ", "/orders")]
    [InlineData("/", "")]
    public void Normalize_Prefix_LeadingSlashNoTrailingSlash(string prefix, string expected) =>
        Assert.Equal(expected, RoutePrefixTable.Normalize(prefix));

    [Theory]
    [InlineData("/orders", "orders")]
    [InlineData("/orders/7", "orders")]
    [InlineData("/ORDERS/7", "orders")]
    [InlineData("/orders/payments/1", "payments")]
    [InlineData("/ordersx", null)]
    [InlineData("/", null)]
    [InlineData("", null)]
    public void Match_Path_LongestSegmentPrefix(string path, string? module)
    {
        var table = Table(("/orders", Orders), ("/orders/payments", Payments));

        Assert.Equal(module, table.Match(path.AsSpan()).Name);
    }

    [Fact]
    public void Match_RootPrefix_MatchesEverythingButLosesToLongerPrefixes()
    {
        var table = Table(("/", Root), ("/orders", Orders));

        Assert.Equal("root", table.Match("/anything".AsSpan()).Name);
        Assert.Equal("orders", table.Match("/orders/1".AsSpan()).Name);
    }

    [Fact]
    public void Match_SamePrefixTwice_FirstDeclaredWins()
    {
        var table = Table(("/orders", Orders), ("/Orders/", Payments));

        Assert.Equal("orders", table.Match("/orders".AsSpan()).Name);
        Assert.Equal(1, table.Count);
    }

    [Theory]
    [InlineData("/orders/items/{id}", "orders")]
    [InlineData("/orders/payments/{id:int}", "payments")]
    [InlineData("/orders/payments", "payments")]
    [InlineData("/other/{id}", null)]
    [InlineData("/ordersx/{id}", null)]
    public void Match_PatternDecidedByLiterals_ReturnsModule(string pattern, string? module)
    {
        var table = Table(("/orders", Orders), ("/orders/payments", Payments));

        var match = table.Match(RoutePatternFactory.Parse(pattern));

        Assert.NotNull(match);
        Assert.Equal(module, match.Name);
    }

    [Theory]
    [InlineData("/orders/{kind}")] // /orders/payments would be payments, /orders/x orders
    [InlineData("/{tenant}/orders")]
    [InlineData("/orders/{**rest}")]
    public void Match_PatternDependingOnParameters_ReturnsNullForPerRequestLookup(string pattern)
    {
        var table = Table(("/orders", Orders), ("/orders/payments", Payments));

        Assert.Null(table.Match(RoutePatternFactory.Parse(pattern)));
    }

    [Fact]
    public void Match_FullyLiteralPatternShorterThanPrefix_IsUnassigned()
    {
        var table = Table(("/orders/payments", Payments));

        Assert.Same(Unassigned, table.Match(RoutePatternFactory.Parse("/orders")));
    }
}
