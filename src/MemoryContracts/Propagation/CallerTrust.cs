using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// The one decision of who is trusted (DESIGN §6, §11), for the pressure headers and the dashboard
/// alike: a request is trusted when its connection comes from <c>propagation.trusted_networks</c>
/// <b>and</b> it was not relayed for anyone else, meaning every address its <c>X-Forwarded-For</c>
/// and <c>Forwarded: for=</c> headers name is trusted too. A trusted proxy relaying a request for an
/// outsider makes it an outsider's: its pressure headers are ignored and it gets none of ours, even
/// when the application does not run <c>UseForwardedHeaders</c>. A chain that stays inside the trusted
/// networks (a sidecar in front of the service, a gateway calling for an internal client) is trusted.
/// </summary>
/// <remarks>
/// What a forwarding header names is judged strictly: <c>unknown</c>, an obfuscated identifier
/// (<c>_hidden</c>), anything that is not an IPv4 or IPv6 address (optionally quoted, bracketed, with a
/// port), a header that does not parse, and more than <see cref="MaxForwardedNodes"/> entries all make
/// the request untrusted; nothing is ever thrown. A request without forwarding headers costs two header
/// look-ups after the address check and allocates nothing; with them, an IPv4 address is read into a
/// number and checked without allocating, and an IPv6 address is parsed once (one
/// <see cref="System.Net.IPAddress"/> each).
/// </remarks>
internal static class CallerTrust
{
    /// <summary>The de facto list of the addresses a request was relayed for.</summary>
    public const string XForwardedFor = "X-Forwarded-For";

    /// <summary>RFC 7239's forwarding header, whose <c>for=</c> parameters name them.</summary>
    public const string Forwarded = "Forwarded";

    /// <summary>The most addresses the forwarding headers of a request may name (both headers together); more is untrusted.</summary>
    public const int MaxForwardedNodes = 64;

    /// <summary>Gets a value indicating whether the request comes from, and was relayed only for, trusted addresses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsTrusted(HttpContext context, TrustedNetworks networks) =>
        Judge(context, networks) == CallerTrustVerdict.Trusted;

    /// <summary>Decides whether the request is trusted, and when it is not, whether a trusted proxy relayed it for an outsider.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CallerTrustVerdict Judge(HttpContext context, TrustedNetworks networks)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(networks);

        // Straight from the connection feature: one lookup (a fast path on Kestrel), without
        // ConnectionInfo's cached references, which every Features.Set invalidates.
        if (!networks.Contains(RequestFeatures.RemoteAddress(context.Features)))
        {
            return CallerTrustVerdict.Untrusted;
        }

        return RelayedOnlyForTrusted(context.Request.Headers, networks)
            ? CallerTrustVerdict.Trusted
            : CallerTrustVerdict.RelayedForOutsider;
    }

    /// <summary>Gets a value indicating whether every address the forwarding headers name is trusted (true when there are none).</summary>
    public static bool RelayedOnlyForTrusted(IHeaderDictionary headers, TrustedNetworks networks)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(networks);
        var budget = MaxForwardedNodes;
        return XForwardedForHeader.NamesOnlyTrusted(headers[XForwardedFor], networks, ref budget)
            && ForwardedHeader.NamesOnlyTrusted(headers[Forwarded], networks, ref budget);
    }
}
