using System.Net;

namespace MemoryContracts;

/// <summary>
/// The cloud instance metadata services, which never get outbound headers whatever
/// <c>propagation.outbound_hosts</c> says: <c>169.254.169.254</c> (AWS, GCP, Azure, and most
/// others), <c>fd00:ec2::254</c> (AWS over IPv6), <c>metadata.google.internal</c>,
/// <c>metadata.azure.com</c>, and the single label <c>metadata</c> (GCP's search-domain short name).
/// Names compare case-insensitively with or without a trailing dot; addresses compare by value, so
/// every spelling of an address (<c>fd00:ec2:0::254</c>, <c>::ffff:169.254.169.254</c>) is the same.
/// </summary>
internal static class CloudMetadataHosts
{
    private static readonly string[] Names = ["metadata.google.internal", "metadata.azure.com", "metadata"];

    private static readonly IPAddress[] Addresses = [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("fd00:ec2::254")];

    /// <summary>Gets a value indicating whether <paramref name="name"/> (a DNS name, trailing dot allowed) is a metadata service's.</summary>
    public static bool IsMetadataName(ReadOnlySpan<char> name)
    {
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        foreach (var metadata in Names)
        {
            if (name.Equals(metadata, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets a value indicating whether <paramref name="address"/> (any spelling, IPv4-mapped and scoped forms included) is a metadata service's.</summary>
    public static bool IsMetadataAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        Span<byte> metadataBytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return false;
        }

        foreach (var metadata in Addresses)
        {
            // By bytes: IPAddress.Equals would tell fd00:ec2::254%2 from fd00:ec2::254, the network does not.
            if (metadata.AddressFamily == address.AddressFamily
                && metadata.TryWriteBytes(metadataBytes, out var metadataWritten)
                && bytes[..written].SequenceEqual(metadataBytes[..metadataWritten]))
            {
                return true;
            }
        }

        return false;
    }
}
