using System.Net;
using System.Text.RegularExpressions;

namespace MemoryContracts;

/// <summary>
/// The one reading of an entry in <c>propagation.outbound_hosts</c>: a host name (<c>inventory</c>,
/// <c>api.internal</c>), an IP address, or <c>*.</c> and a domain suffix (<c>*.svc.cluster.local</c>).
/// Used by the contract's validator and by the compiled outbound matcher, so both apply the same rule.
/// </summary>
internal static partial class HostPattern
{
    private const int MaxLength = 253;

    /// <summary>Parses <paramref name="text"/>; on failure, <paramref name="reason"/> says why (without the key).</summary>
    /// <param name="text">The entry as written.</param>
    /// <param name="host">
    /// What to match: the name, the suffix with its leading dot (<c>.svc.cluster.local</c>), or the
    /// address in its canonical form (<c>fd00::1</c> for <c>FD00:0::1</c>).
    /// </param>
    /// <param name="isSuffix">Whether the entry was <c>*.</c> and a suffix.</param>
    /// <param name="reason">Why the entry is not a host pattern.</param>
    public static bool TryParse(string? text, out string host, out bool isSuffix, out string reason)
    {
        host = string.Empty;
        isSuffix = false;
        reason = string.Empty;
        if (!string.IsNullOrEmpty(text) && text.Length <= MaxLength)
        {
            if (!text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
            {
                host = address.ToString();
                return true;
            }

            isSuffix = text.StartsWith("*.", StringComparison.Ordinal);
            var name = isSuffix ? text[2..] : text;
            if (HostName().IsMatch(name))
            {
                host = isSuffix ? text[1..] : text;
                return true;
            }
        }

        isSuffix = false;
        reason = $"'{ContractScalar.Shorten(text ?? string.Empty)}' is not a host pattern: expected a host name ('inventory', 'api.internal'), an IP address, or '*.' and a domain suffix ('*.svc.cluster.local')";
        return false;
    }

    /// <summary>Dot-separated labels of letters, digits and inner hyphens, each 1 to 63 long.</summary>
    [GeneratedRegex(@"^(?=.{1,253}\z)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
