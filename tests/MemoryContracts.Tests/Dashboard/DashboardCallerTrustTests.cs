using System.Net;
using Microsoft.AspNetCore.Http;

namespace MemoryContracts.Tests.Dashboard;

public sealed class DashboardCallerTrustTests
{
    private static readonly TrustedNetworks Networks = TrustedNetworks.Parse(["10.0.0.0/8", "fd00::/8", "127.0.0.0/8"]);

    private static DefaultHttpContext Request(string? remote, string? forwardedFor = null, string? forwarded = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        if (forwarded is not null)
        {
            context.Request.Headers["Forwarded"] = forwarded;
        }

        return context;
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("fd00::7")]
    public void IsTrusted_AddressInTrustedNetworks_IsTrue(string remote) =>
        Assert.True(DashboardCallerTrust.IsTrusted(Request(remote), Networks));

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("2001:db8::1")]
    [InlineData(null)]
    public void IsTrusted_AddressOutsideOrMissing_IsFalse(string? remote) =>
        Assert.False(DashboardCallerTrust.IsTrusted(Request(remote), Networks));

    [Theory]
    [InlineData("10.9.9.9", null)]
    [InlineData("10.9.9.9:8080, 127.0.0.1", null)]
    [InlineData(null, "for=10.9.9.9;proto=https")]
    [InlineData(null, "for=\"[fd00::1]:443\", for=10.0.0.2;by=10.0.0.1")]
    public void IsTrusted_TrustedProxyRelayingTrustedAddresses_IsTrue(string? forwardedFor, string? forwarded) =>
        Assert.True(DashboardCallerTrust.IsTrusted(Request("10.0.0.1", forwardedFor, forwarded), Networks));

    [Theory]
    [InlineData("203.0.113.7", null)]
    [InlineData("10.9.9.9, 203.0.113.7", null)]
    [InlineData("unknown", null)]
    [InlineData(null, "for=203.0.113.7")]
    [InlineData(null, "for=10.0.0.2, for=\"[2001:db8::1]:443\"")]
    [InlineData(null, "for=_hidden")]
    public void IsTrusted_TrustedProxyRelayingAnOutsider_IsFalse(string? forwardedFor, string? forwarded) =>
        Assert.False(DashboardCallerTrust.IsTrusted(Request("10.0.0.1", forwardedFor, forwarded), Networks));
}
