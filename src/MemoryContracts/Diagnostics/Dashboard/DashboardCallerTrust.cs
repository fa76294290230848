using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// Who may see the dashboard: a caller whose connection comes from <c>propagation.trusted_networks</c>
/// (the rule of the pressure headers, <see cref="InboundPropagation"/>), unless it relays a request
/// for someone else: an <c>X-Forwarded-For</c> or <c>Forwarded</c> header naming any address that is
/// not trusted (or anything that is not an address, such as <c>unknown</c>) makes the request untrusted,
/// even without <c>UseForwardedHeaders</c>.
/// </summary>
internal static class DashboardCallerTrust
{
    private const string ForwardedFor = "X-Forwarded-For";
    private const string Forwarded = "Forwarded";

    public static bool IsTrusted(HttpContext context, TrustedNetworks networks)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(networks);
        if (!networks.Contains(context.Connection.RemoteIpAddress))
        {
            return false;
        }

        var headers = context.Request.Headers;
        return AllTrusted(headers[ForwardedFor], networks, forwardedSyntax: false)
            && AllTrusted(headers[Forwarded], networks, forwardedSyntax: true);
    }

    private static bool AllTrusted(StringValues values, TrustedNetworks networks, bool forwardedSyntax)
    {
        foreach (var value in values)
        {
            foreach (var element in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (forwardedSyntax)
                {
                    foreach (var pair in element.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase) && !IsTrustedNode(pair[4..], networks))
                        {
                            return false;
                        }
                    }
                }
                else if (!IsTrustedNode(element, networks))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A node is an address, optionally quoted and with a port (<c>10.0.0.1:8080</c>, <c>"[fd00::1]:443"</c>).</summary>
    private static bool IsTrustedNode(string node, TrustedNetworks networks)
    {
        var text = node.Trim().Trim('"');
        return IPEndPoint.TryParse(text, out var endpoint) && networks.Contains(endpoint.Address);
    }
}
