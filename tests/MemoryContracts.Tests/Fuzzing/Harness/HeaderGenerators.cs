using System.Globalization;
using CsCheck;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// Header values shared by the fuzz tests: near misses of the values the parsers expect (percentages,
/// contract versions, forwarding lists, Retry-After, ORCA reports), odd Unicode and plain garbage.
/// </summary>
internal static class HeaderGenerators
{
    /// <summary>Addresses inside the tests' trusted networks (10.0.0.0/8, fd00::/8, loopback).</summary>
    public static readonly string[] TrustedAddresses = ["10.0.0.1", "10.255.255.254", "127.0.0.1", "[fd00::1]", "[::1]", "10.1.2.3:8080", "[fd00::2]:443", "fd00::3", "[::ffff:10.0.0.9]", "10.0.0.1:_x"];

    /// <summary>Addresses outside them.</summary>
    public static readonly string[] OutsideAddresses = ["203.0.113.7", "8.8.8.8", "11.0.0.1", "[2001:db8::1]", "2001:db8::2", "203.0.113.7:443", "[::ffff:8.8.8.8]", "0.0.0.0", "255.255.255.255"];

    /// <summary>What a forwarding header may name that is no address: unknown, obfuscated, look-alikes.</summary>
    public static readonly string[] NotAddresses = ["unknown", "_hidden", "_", "10.0.0", "10.0.0.0.1", "010.0.0.1", "0x0a.0.0.1", "10.1", "[10.0.0.1]", "[fd00::1", "fd00::1]", "10.0.0.1:", "10.0.0.1:99999", "10.0.0.1:_", "[fd00::1]:", "localhost", "10.0.0.1%eth0", "[fe80::1%eth0]", "\uFF11\uFF10.0.0.1", "10.0.0.\u0661", ""];

    /// <summary>Whitespace HTTP allows (and some it does not).</summary>
    public static readonly Gen<string> Space = Gen.Frequency((6, Gen.Const(string.Empty)), (3, Gen.Const(" ")), (1, Gen.OneOf("\t", "  ", " \t", "\u00A0", "\r\n ", "\u3000")));

    /// <summary>Anything: mixed characters, odd numbers, long runs.</summary>
    public static readonly Gen<string> Garbage = Gen.OneOf(
        FuzzText.Mixed(80),
        FuzzText.OddNumber,
        Gen.Int[0, 5000].Select(n => new string('9', n)),
        Gen.String[0, 40]);

    /// <summary>Near misses of <c>68%</c>.</summary>
    public static readonly Gen<string> Usage = Gen.OneOf(
        Gen.Select(Space, Gen.Char['0', '9'].Array[0, 12], Gen.OneOf("", "%", "%%", " %", "％", ".5%", ",1"), Space)
            .Select((before, digits, suffix, after) => before + new string(digits) + suffix + after),
        Gen.Select(Gen.Int, Gen.OneOf("", "%"), Space).Select((n, suffix, space) => space + n.ToString(CultureInfo.InvariantCulture) + suffix + space),
        Gen.Select(Gen.Long, Gen.OneOf("", "%")).Select((n, suffix) => n.ToString(CultureInfo.InvariantCulture) + suffix),
        Gen.OneOf("68%", "68", "0", "0%", "100%", "2147483647", "2147483648", "99999999999", "-5%", "+5", "%", "12%%", "5 %", "1,5", "5.0", "1e3", "\uFF16\uFF18%", "\u0666\u0668", "68%\0", "\uFEFF68%", "68\u00A0%", "6\u03018"),
        Garbage);

    /// <summary>Near misses of a contract version (<c>v1.2</c>).</summary>
    public static readonly Gen<string> Contract = Gen.OneOf(
        Gen.Select(Space, Gen.Char[' ', '~'].Array[0, 70], Space).Select((before, chars, after) => before + new string(chars) + after),
        Gen.OneOf("v1.2", "v1.2 ", " v1.2", "v1.2\r\n", "v1\u00A02", "v\u0131.2", new string('v', 64), new string('v', 65), "\t", " ", ""),
        Garbage);

    /// <summary>Usage values as a header: absent, once, or several times.</summary>
    public static readonly Gen<StringValues> UsageValues = Values(Usage);

    public static readonly Gen<StringValues> ContractValues = Values(Contract);

    /// <summary>An <c>X-Forwarded-For</c> node: trusted, outside, not an address, or garbage; quoted now and then.</summary>
    public static readonly Gen<(string Node, bool? Trusted)> ForwardedForNode = Gen.Frequency(
        (4, Gen.OneOf(TrustedAddresses).Select(a => (a, (bool?)true))),
        (2, Gen.OneOf(OutsideAddresses).Select(a => (a, (bool?)false))),
        (2, Gen.OneOf(NotAddresses).Select(a => (a, (bool?)(a.Length == 0 ? null : false)))),
        (1, Garbage.Select(g => (g, (bool?)null))));

    /// <summary>
    /// An <c>X-Forwarded-For</c> value and whether it names only trusted addresses (<see langword="null"/>
    /// when garbage makes that unknown): nodes separated by commas and optional whitespace, some quoted.
    /// </summary>
    public static readonly Gen<(string Value, bool? Trusted)> ForwardedFor =
        ShortOrLong(Gen.Select(ForwardedForNode, Space, Gen.Bool, Space), 70)
            .Select(nodes =>
            {
                var parts = nodes.Select(n => n.Item3 && n.Item1.Node.Length > 0 && !n.Item1.Node.Contains(',', StringComparison.Ordinal) ? (Text: $"\"{n.Item1.Node}\"", n.Item1.Trusted, n.Item2, n.Item4) : (Text: n.Item1.Node, n.Item1.Trusted, n.Item2, n.Item4)).ToArray();
                var value = string.Join(",", parts.Select(p => p.Item3 + p.Text + p.Item4));
                var named = parts.Count(p => p.Text.Trim(' ', '\t').Length > 0);
                bool? trusted = parts.Any(p => p.Trusted is null) || parts.Any(p => p.Item3.Trim(' ', '\t').Length > 0 || p.Item4.Trim(' ', '\t').Length > 0)
                    ? null
                    : parts.All(p => p.Trusted is not false) && named <= 64;
                return (value, trusted);
            });

    /// <summary>
    /// A <c>Forwarded</c> value and whether its <c>for=</c> parameters name only trusted addresses
    /// (<see langword="null"/> when unknown): elements of <c>name=value</c> pairs, tokens or quoted strings.
    /// </summary>
    public static readonly Gen<(string Value, bool? Trusted)> Forwarded =
        Gen.Select(
                Gen.Frequency((5, Gen.Const("for")), (1, Gen.OneOf("FOR", "For", "by", "proto", "host", "fo r", "for ", "", "f\u043Er"))),
                Gen.Frequency((5, ForwardedForNode), (1, Gen.OneOf("http", "https", "example.com").Select(v => (v, (bool?)false)))),
                Gen.Int[0, 3],
                Gen.OneOf(",", ";", ", ", " ;", ",,", ";;"))
            .Apply(pair => ShortOrLong(pair, 70))
            .Select(pairs =>
            {
                var value = new System.Text.StringBuilder();
                bool? trusted = true;
                var forCount = 0;
                for (var i = 0; i < pairs.Length; i++)
                {
                    var (name, (node, nodeTrusted), quoting, separator) = pairs[i];
                    var isFor = string.Equals(name, "for", StringComparison.OrdinalIgnoreCase);
                    var text = quoting switch
                    {
                        0 when IsToken(node) => node,
                        2 => "\"" + node.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
                        3 => "\"" + string.Concat(node.Select(c => "\\" + c)) + "\"",
                        _ => "\"" + node + "\"",
                    };
                    var wellFormed = name is "for" or "FOR" or "For" or "by" or "proto" or "host"
                        && (quoting is 2 or 3 ? node.All(c => !char.IsControl(c) || c == '\t') : quoting == 0 ? IsToken(node) : !node.Contains('"', StringComparison.Ordinal) && !node.Contains('\\', StringComparison.Ordinal) && node.All(c => !char.IsControl(c) || c == '\t'));
                    if (!wellFormed || (isFor && nodeTrusted is null))
                    {
                        trusted = null;
                    }
                    else if (isFor && ++forCount > 0 && nodeTrusted == false && trusted is not null)
                    {
                        trusted = false;
                    }

                    if (i > 0)
                    {
                        value.Append(separator);
                    }

                    value.Append(name).Append('=').Append(text);
                }

                if (trusted == true && forCount > 64)
                {
                    trusted = false;
                }

                return (value.ToString(), trusted);
            });

    /// <summary>Several values of one header, as a request or response may carry them.</summary>
    public static Gen<StringValues> Values(Gen<string> value) => Gen.Frequency(
        (1, Gen.Const(StringValues.Empty)),
        (8, value.Select(v => new StringValues(v))),
        (2, value.Array[2, 4].Select(v => new StringValues(v))));

    /// <summary>Mostly up to 6 items, now and then up to <paramref name="max"/> (past the 64-node budget).</summary>
    private static Gen<T[]> ShortOrLong<T>(Gen<T> item, int max) => Gen.Frequency((6, item.Array[0, 6]), (1, item.Array[0, max]));

    private static Gen<TResult> Apply<T, TResult>(this Gen<T> gen, Func<Gen<T>, Gen<TResult>> apply) => apply(gen);

    private static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~:[]".Contains(c, StringComparison.Ordinal));
}
