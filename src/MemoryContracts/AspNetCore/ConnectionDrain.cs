using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MemoryContracts;

/// <summary>
/// What <c>drain_connections</c> does to one request while it is in force: an HTTP/1.x response
/// carries <c>Connection: close</c>, so the server closes the connection once it is sent; on HTTP/2
/// and HTTP/3 the connection is asked to close gracefully (<see cref="IConnectionLifetimeNotificationFeature.RequestClose"/>:
/// Kestrel sends GOAWAY, lets the streams in flight finish, then closes). Either way the client opens
/// its next connection afresh, and a Layer 4 balancer in front can place it on another instance.
/// Nothing is allocated.
/// </summary>
internal static class ConnectionDrain
{
    private const string Close = "close";

    /// <summary>Asks for the request's connection to close after its response.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Request(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        if (HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol))
        {
            if (!context.Response.HasStarted)
            {
                context.Response.Headers[HeaderNames.Connection] = Close;
            }

            return;
        }

        (context.Features[typeof(IConnectionLifetimeNotificationFeature)] as IConnectionLifetimeNotificationFeature)?.RequestClose();
    }
}
