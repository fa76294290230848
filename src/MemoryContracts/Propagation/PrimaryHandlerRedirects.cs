using System.Net;
using System.Runtime.CompilerServices;

namespace MemoryContracts;

/// <summary>
/// Moves the following of redirects from a client's primary handler into
/// <see cref="MemoryContractHeadersHandler"/>, so headers are decided again for every hop and each
/// response is credited to the authority that sent it. <c>SocketsHttpHandler</c> and
/// <c>HttpClientHandler</c> (also behind delegating wrappers) that follow redirects get
/// <c>AllowAutoRedirect = false</c>, and the handler follows up to their
/// <c>MaxAutomaticRedirections</c>. Not taken over, and the client sends no headers: a primary handler
/// with <c>Credentials</c> other than a <c>CredentialCache</c> (it would authenticate to the redirect
/// target, which .NET's own redirects avoid), or one that has already sent requests (its settings are
/// frozen). Any other primary handler is left alone.
/// </summary>
internal static class PrimaryHandlerRedirects
{
    /// <summary>Primary handlers already taken over, with their redirect limit (a factory may hand out one instance to many builds).</summary>
    private static readonly ConditionalWeakTable<HttpMessageHandler, StrongBox<int>> Taken = [];

    public static RedirectTakeover TakeOver(HttpMessageHandler? primary)
    {
        var handler = primary;
        while (handler is DelegatingHandler { InnerHandler: { } inner })
        {
            handler = inner;
        }

        if (handler is null)
        {
            return RedirectTakeover.None;
        }

        lock (Taken)
        {
            if (Taken.TryGetValue(handler, out var taken))
            {
                return new RedirectTakeover(taken.Value, null);
            }

            return handler switch
            {
                SocketsHttpHandler sockets when sockets.AllowAutoRedirect =>
                    TakeOver(sockets, sockets.MaxAutomaticRedirections, sockets.Credentials, static h => ((SocketsHttpHandler)h).AllowAutoRedirect = false),
                HttpClientHandler client when client.AllowAutoRedirect =>
                    TakeOver(client, client.MaxAutomaticRedirections, client.Credentials, static h => ((HttpClientHandler)h).AllowAutoRedirect = false),
                _ => RedirectTakeover.None,
            };
        }
    }

    private static RedirectTakeover TakeOver(HttpMessageHandler handler, int maxRedirections, ICredentials? credentials, Action<HttpMessageHandler> stopFollowing)
    {
        if (credentials is not null and not CredentialCache)
        {
            return new RedirectTakeover(0, "it authenticates with Credentials that are not a CredentialCache");
        }

        try
        {
            stopFollowing(handler);
        }
        catch (InvalidOperationException)
        {
            return new RedirectTakeover(0, "it has already sent requests, so its settings are frozen");
        }

        Taken.AddOrUpdate(handler, new StrongBox<int>(maxRedirections));
        return new RedirectTakeover(maxRedirections, null);
    }
}
