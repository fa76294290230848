using CsCheck;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// Text generators shared by the fuzz tests: odd Unicode (BOM, NUL, lone surrogates, RTL marks,
/// combining marks, no-break spaces, other scripts' digits, line separators), numbers that overflow or
/// hide in other notations, and strings mixing them with what a parser looks for.
/// </summary>
internal static class FuzzText
{
    /// <summary>
    /// BOM, NUL, lone high and low surrogates, RTL/LTR overrides and marks, combining acute and
    /// diaeresis, NBSP, figure and narrow no-break spaces, zero-width space and joiner, word joiner,
    /// fullwidth 0 and 5, Arabic-Indic 0 and 5, line and paragraph separators, NEL, DEL, C1 controls,
    /// the replacement character, non-characters, dotted/dotless i, long s and the Kelvin sign (case-folding traps).
    /// </summary>
    public const string OddCharacters =
        "\uFEFF\0\uD800\uDBFF\uDC00\uDFFF\u202E\u202D\u200F\u200E\u0301\u0308\u00A0\u2007\u202F\u200B\u200D\u2060" +
        "\uFF10\uFF15\u0660\u0665\u2028\u2029\u0085\u007F\u0080\u009F\uFFFD\uFFFE\uFFFF\u0130\u0131\u017F\u212A";

    /// <summary>Characters HTTP and YAML parsers split on or treat specially.</summary>
    public const string Punctuation = " \t\r\n:-,;=\"'\\[]{}&*!|>#%@`?/.+_<~()$^";

    public static readonly Gen<char> OddChar = Gen.Char[OddCharacters];

    /// <summary>Any character: mostly ASCII, often punctuation, digits or odd Unicode, sometimes anything at all.</summary>
    public static readonly Gen<char> AnyChar = Gen.Frequency(
        (6, Gen.Char[' ', '~']),
        (3, Gen.Char[Punctuation]),
        (3, Gen.Char['0', '9']),
        (2, OddChar),
        (1, Gen.Char));

    /// <summary>A valid astral character (a surrogate pair): an emoji or a mathematical digit.</summary>
    public static readonly Gen<string> AstralCharacter = Gen.OneOf("\U0001F600", "\U0001D7D8", "\U0001F1FA\U0001F1F8", "\U00010000", "\U0010FFFF");

    /// <summary>Numbers at and past the edges, in other notations, with units, separators or other scripts' digits.</summary>
    public static readonly Gen<string> OddNumber = Gen.OneOf(
        Gen.OneOf(
            "0", "-0", "+0", "00", "007", "-1", "1", "2147483647", "2147483648", "-2147483649", "4294967296",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "99999999999999999999999", "1e400", "-1e400", "1e-400", "4.9e-324", "1.7976931348623157e308", "1.8e308",
            "0x10", "0o17", "0b101", "1_000", "1,5", "1.5.5", ".5", "5.", "+5", "--5", "5-", "1e", "e5", "1e+", "1E5",
            ".inf", "-.inf", "+.INF", ".nan", ".NaN", "NaN", "Infinity", "-Infinity", "\u221E",
            "512Mi", "1.5Gi", "100MB", "2048k", "1G", "60%", "100%", "0.5%", "12%%", "%", "5 s", "5s", "5ms",
            "5\u00A0000", "5\u202F000", "\u00A05", "5\u00A0", "\uFF15\uFF10", "\u0665\u0660", "\U0001D7D8", "5\u0301",
            "\u202E05", "5\0", "\uFEFF5", "\u200B5"),
        Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Char['0', '9'].Array[1, 40].Select(digits => new string(digits)));

    /// <summary>A string of up to <paramref name="maxLength"/> characters of <see cref="AnyChar"/>, with astral characters now and then.</summary>
    public static Gen<string> Mixed(int maxLength) =>
        Gen.Frequency(
            (9, AnyChar.Select(c => c.ToString())),
            (1, AstralCharacter),
            (1, OddNumber))
        .Array[0, Math.Max(1, maxLength / 4)]
        .Select(parts => string.Concat(parts))
        .Select(text => text.Length > maxLength ? text[..maxLength] : text);
}
