using System.Net;

namespace MemoryContracts.Tests.Propagation;

public class PrimaryHandlerRedirectsTests
{
    /// <summary>A SocketsHttpHandler that never reaches the network: every connection attempt fails.</summary>
    private static SocketsHttpHandler Unconnectable() => new()
    {
        ConnectCallback = (_, _) => throw new HttpRequestException("no network in this test"),
    };

    [Fact]
    public void TakeOver_SocketsHttpHandlerFollowingRedirects_StopsItAndFollowsItsLimit()
    {
        using var primary = new SocketsHttpHandler { MaxAutomaticRedirections = 7 };

        var takeover = PrimaryHandlerRedirects.TakeOver(primary);

        Assert.False(primary.AllowAutoRedirect);
        Assert.Equal(new RedirectTakeover(7, null), takeover);
    }

    [Fact]
    public void TakeOver_HttpClientHandlerBehindAWrapper_StopsIt()
    {
        using var primary = new HttpClientHandler();
        using var wrapper = new PassThroughHandler { InnerHandler = primary };

        var takeover = PrimaryHandlerRedirects.TakeOver(wrapper);

        Assert.False(primary.AllowAutoRedirect);
        Assert.Equal(new RedirectTakeover(50, null), takeover);
    }

    [Fact]
    public void TakeOver_SameHandlerTwice_StillFollowsItsRedirects()
    {
        using var primary = new SocketsHttpHandler { MaxAutomaticRedirections = 3 };

        PrimaryHandlerRedirects.TakeOver(primary);

        Assert.Equal(new RedirectTakeover(3, null), PrimaryHandlerRedirects.TakeOver(primary));
    }

    [Fact]
    public void TakeOver_RedirectsOff_FollowsNone()
    {
        using var primary = new SocketsHttpHandler { AllowAutoRedirect = false };

        Assert.Equal(RedirectTakeover.None, PrimaryHandlerRedirects.TakeOver(primary));
        Assert.False(primary.AllowAutoRedirect);
    }

    [Fact]
    public void TakeOver_UnknownHandler_LeftAlone()
    {
        using var primary = new StubInnerHandler();

        Assert.Equal(RedirectTakeover.None, PrimaryHandlerRedirects.TakeOver(primary));
        Assert.Equal(RedirectTakeover.None, PrimaryHandlerRedirects.TakeOver(null));
    }

    [Fact]
    public void TakeOver_CredentialCache_TakenOver()
    {
        using var primary = new SocketsHttpHandler { Credentials = new CredentialCache() };

        Assert.Equal(new RedirectTakeover(50, null), PrimaryHandlerRedirects.TakeOver(primary));
        Assert.False(primary.AllowAutoRedirect);
    }

    [Fact]
    public void TakeOver_NetworkCredentials_LeftFollowingAndHeadersWithheld()
    {
        using var primary = new HttpClientHandler { Credentials = new NetworkCredential("user", "secret") };
        using var defaults = new HttpClientHandler { UseDefaultCredentials = true };

        var takeover = PrimaryHandlerRedirects.TakeOver(primary);

        Assert.True(primary.AllowAutoRedirect);
        Assert.Equal(0, takeover.MaxRedirections);
        Assert.Contains("Credentials", takeover.HeadersWithheldBecause, StringComparison.Ordinal);
        Assert.NotNull(PrimaryHandlerRedirects.TakeOver(defaults).HeadersWithheldBecause);
        Assert.True(defaults.AllowAutoRedirect);
    }

    [Fact]
    public async Task TakeOver_HandlerThatAlreadySentRequests_LeftFollowingAndHeadersWithheld()
    {
        using var primary = Unconnectable();
        using (var invoker = new HttpMessageInvoker(primary, disposeHandler: false))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://inventory/"), CancellationToken.None));
        }

        var takeover = PrimaryHandlerRedirects.TakeOver(primary);

        Assert.True(primary.AllowAutoRedirect);
        Assert.Equal(0, takeover.MaxRedirections);
        Assert.Contains("already sent requests", takeover.HeadersWithheldBecause, StringComparison.Ordinal);
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
