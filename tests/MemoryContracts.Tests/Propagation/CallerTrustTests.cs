using System.Net;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts.Tests.Propagation;

public sealed class CallerTrustTests
{
    private static readonly TrustedNetworks Networks = TrustedNetworks.Parse(["10.0.0.0/8", "fd00::/8", "127.0.0.0/8"]);

    private static DefaultHttpContext Request(string? remote, StringValues forwardedFor = default, StringValues forwarded = default)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        if (forwardedFor.Count > 0)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        if (forwarded.Count > 0)
        {
            context.Request.Headers["Forwarded"] = forwarded;
        }

        return context;
    }

    private static bool Trusted(string? forwardedFor, string? forwarded) =>
        CallerTrust.IsTrusted(Request("10.0.0.1", forwardedFor, forwarded), Networks);

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("fd00::7")]
    public void IsTrusted_DirectCallerInTrustedNetworks_IsTrue(string remote) =>
        Assert.True(CallerTrust.IsTrusted(Request(remote), Networks));

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("2001:db8::1")]
    [InlineData(null)]
    public void IsTrusted_CallerOutsideOrWithoutAnAddress_IsFalse(string? remote) =>
        Assert.False(CallerTrust.IsTrusted(Request(remote), Networks));

    [Fact]
    public void IsTrusted_UntrustedCallerNamingOnlyTrustedHops_IsFalse() =>
        Assert.False(CallerTrust.IsTrusted(Request("203.0.113.7", "10.0.0.2", "for=10.0.0.3"), Networks));

    [Theory]
    [InlineData("10.9.9.9")]
    [InlineData("10.9.9.9:8080, 127.0.0.1")]
    [InlineData("[fd00::1]:443")]
    [InlineData("[fd00::1]")]
    [InlineData("fd00::1")]
    [InlineData("\"10.0.0.2\"")]
    [InlineData("\"[fd00::1]:8443\"")]
    [InlineData("  10.0.0.2 ,\t10.0.0.3  ")]
    [InlineData("10.0.0.2,,10.0.0.3,")]
    [InlineData("10.0.0.2:_obf")]
    [InlineData("10.0.0.0")]
    [InlineData("")]
    public void IsTrusted_TrustedProxyRelayingTrustedXForwardedFor_IsTrue(string forwardedFor) =>
        Assert.True(Trusted(forwardedFor, null));

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("10.9.9.9, 203.0.113.7")]
    [InlineData("203.0.113.7, 10.9.9.9")]
    [InlineData("[2001:db8::1]:443")]
    [InlineData("2001:db8::1")]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("10.0.0.1:99999")]
    [InlineData("10.0.0.1:")]
    [InlineData("10.0.0.1:8o")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("10.0.0.1.5")]
    [InlineData("010.0.0.1000")]
    [InlineData("012.0.0.1")]
    [InlineData("[fd00::1")]
    [InlineData("fd00::1]:80")]
    [InlineData("[10.0.0.1]")]
    [InlineData("[fd00::1]x")]
    [InlineData("10.0.0.1:80:90")]
    [InlineData("10.0.0.1 10.0.0.2")]
    [InlineData("\"10.0.0.2")]
    [InlineData("localhost")]
    public void IsTrusted_XForwardedForNamingAnOutsiderOrNotAnAddress_IsFalse(string forwardedFor) =>
        Assert.False(Trusted(forwardedFor, null));

    [Fact]
    public void IsTrusted_SeveralXForwardedForHeaders_EveryOneIsRead()
    {
        Assert.True(CallerTrust.IsTrusted(Request("10.0.0.1", new StringValues(["10.0.0.2", "10.0.0.3"])), Networks));
        Assert.False(CallerTrust.IsTrusted(Request("10.0.0.1", new StringValues(["10.0.0.2", "203.0.113.7"])), Networks));
    }

    [Theory]
    [InlineData("for=10.9.9.9;proto=https")]
    [InlineData("for=\"[fd00::1]:443\", for=10.0.0.2;by=10.0.0.1")]
    [InlineData("For=10.0.0.2")]
    [InlineData("FOR=\"10.0.0.2\"")]
    [InlineData("proto=https;host=example.com")]
    [InlineData("by=203.0.113.7;for=10.0.0.2")]
    [InlineData("for=\"10.0.0.2:_port\"")]
    [InlineData("for=10.0.0.1:8080")]
    [InlineData("for=\"\\[fd00::1\\]\"")]
    [InlineData(";for=10.0.0.2;;proto=http, ,for=127.0.0.1")]
    [InlineData("host=\"a,b;c\";for=10.0.0.2")]
    public void IsTrusted_TrustedProxyRelayingTrustedForwarded_IsTrue(string forwarded) =>
        Assert.True(Trusted(null, forwarded));

    [Theory]
    [InlineData("for=203.0.113.7")]
    [InlineData("for=10.0.0.2, for=\"[2001:db8::1]:443\"")]
    [InlineData("for=10.0.0.2;;for=203.0.113.7")]
    [InlineData("for=_hidden")]
    [InlineData("for=unknown")]
    [InlineData("for=\"unknown\"")]
    [InlineData("for=\"_gazonk\"")]
    [InlineData("for")]
    [InlineData("for=")]
    [InlineData("for=\"\"")]
    [InlineData("for=\"10.0.0.2")]
    [InlineData("for=\"10.0.0.2\\")]
    [InlineData("for=10.0.0.2 junk")]
    [InlineData("for=\"10.0.0.2\"x")]
    [InlineData("=10.0.0.2")]
    [InlineData("for = 10.0.0.2")]
    [InlineData("for=10.0.0.2,proto")]
    [InlineData("proto=https;for=\"10.0.0.2\u0001\"")]
    [InlineData("for=[2001:db8::1]")]
    [InlineData("f\u00f6r=10.0.0.2")]
    public void IsTrusted_ForwardedNamingAnOutsiderOrMalformed_IsFalse(string forwarded) =>
        Assert.False(Trusted(null, forwarded));

    [Fact]
    public void IsTrusted_BothHeaders_BothAreRead()
    {
        Assert.True(Trusted("10.0.0.2", "for=10.0.0.3"));
        Assert.False(Trusted("10.0.0.2", "for=203.0.113.7"));
        Assert.False(Trusted("203.0.113.7", "for=10.0.0.3"));
    }

    [Fact]
    public void IsTrusted_MoreNodesThanTheLimit_IsFalse()
    {
        var limit = CallerTrust.MaxForwardedNodes;
        var nodes = string.Join(", ", Enumerable.Repeat("10.0.0.2", limit));

        Assert.True(Trusted(nodes, null));
        Assert.False(Trusted(nodes + ", 10.0.0.3", null));
        Assert.False(Trusted(string.Join(", ", Enumerable.Repeat("10.0.0.2", limit - 1)), "for=10.0.0.3, for=10.0.0.4"));
    }

    [Fact]
    public void IsTrusted_ArbitraryForwardingHeaders_NeverThrows()
    {
        var text = Gen.OneOf(
            Gen.String[0, 80],
            Gen.Char["\"\\,;=:[]_ \tfor0123456789.abcdef"].Array[0, 60].Select(chars => new string(chars)));

        text.Sample(value =>
        {
            _ = Trusted(value, null);
            _ = Trusted(null, value);
            _ = Trusted(null, "for=" + value);
        }, iter: 5000);
    }

    [Fact]
    public void IsTrusted_TrustedCallerWithoutForwardingHeaders_AllocatesNothing()
    {
        var context = Request("10.1.2.3");
        context.Request.Headers["X-Memory-Usage"] = "90%";
        Assert.True(CallerTrust.IsTrusted(context, Networks));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            CallerTrust.IsTrusted(context, Networks);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
