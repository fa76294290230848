using System.Net;

namespace MemoryContracts;

/// <summary>
/// The one reading of a network in <c>propagation.trusted_networks</c>: CIDR notation
/// (<c>10.0.0.0/8</c>, <c>fc00::/7</c>) with no bits set after the prefix length. Used by the
/// contract's validator and by the compiled trust check, so both apply the same rule.
/// </summary>
internal static class CidrNotation
{
    /// <summary>Parses <paramref name="text"/>; on failure, <paramref name="reason"/> says why (without the key).</summary>
    public static bool TryParse(string? text, out IPNetwork network, out string reason)
    {
        network = default;
        var shown = text is null ? string.Empty : text.Length > 64 ? text[..64] + "…" : text;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || !IPNetwork.TryParse(text, out network))
        {
            reason = $"'{shown}' is not a network in CIDR notation (for example 10.0.0.0/8 or fc00::/7)";
            return false;
        }

        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address) || !address.Equals(network.BaseAddress))
        {
            reason = $"'{shown}' is not a network in CIDR notation: it has bits set after its prefix length (did you mean {network}?)";
            network = default;
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
