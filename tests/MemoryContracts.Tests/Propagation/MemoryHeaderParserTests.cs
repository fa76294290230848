using Microsoft.Extensions.Primitives;

namespace MemoryContracts.Tests.Propagation;

public class MemoryHeaderParserTests
{
    [Theory]
    [InlineData("68%", 68)]
    [InlineData("68", 68)]
    [InlineData("0%", 0)]
    [InlineData("140%", 140)]
    [InlineData(" 7% ", 7)]
    [InlineData("2147483647", int.MaxValue)]
    public void TryParseUsage_WellFormed_ReturnsPercent(string value, int expected)
    {
        Assert.True(MemoryHeaderParser.TryParseUsage(value, out var percent));
        Assert.Equal(expected, percent);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5%")]
    [InlineData("+5%")]
    [InlineData("%")]
    [InlineData("12%%")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("99999999999999999999%")]
    [InlineData("2147483648")]
    [InlineData("12.5%")]
    [InlineData("1e3")]
    [InlineData("68%, 70%")]
    [InlineData("٦٨")]
    [InlineData("%68")]
    public void TryParseUsage_Malformed_ReturnsFalse(string value)
    {
        Assert.False(MemoryHeaderParser.TryParseUsage(value, out _));
    }

    [Fact]
    public void ParseUsage_MultipleValues_IsMalformed()
    {
        Assert.Equal(HeaderParseResult.Malformed, MemoryHeaderParser.ParseUsage(new StringValues(["50%", "60%"]), out _));
        Assert.Equal(HeaderParseResult.Absent, MemoryHeaderParser.ParseUsage(StringValues.Empty, out _));
        Assert.Equal(HeaderParseResult.Valid, MemoryHeaderParser.ParseUsage("50%", out var percent));
        Assert.Equal(50, percent);
    }

    [Theory]
    [InlineData("v1.2", true)]
    [InlineData("2026-01 rc", true)]
    [InlineData("", false)]
    [InlineData(" v1", false)]
    [InlineData("v1\u0001", false)]
    [InlineData("vé", false)]
    public void IsValidContract_Value_MatchesRule(string value, bool expected)
    {
        Assert.Equal(expected, MemoryHeaderParser.IsValidContract(value));
    }

    [Fact]
    public void ParseContract_TooLongOrRepeated_IsMalformed()
    {
        Assert.Equal(HeaderParseResult.Malformed, MemoryHeaderParser.ParseContract(new string('a', MemoryHeaderParser.MaxContractLength + 1), out _));
        Assert.Equal(HeaderParseResult.Malformed, MemoryHeaderParser.ParseContract(new StringValues(["v1", "v2"]), out _));
        Assert.Equal(HeaderParseResult.Valid, MemoryHeaderParser.ParseContract(new string('a', MemoryHeaderParser.MaxContractLength), out var contract));
        Assert.Equal(MemoryHeaderParser.MaxContractLength, contract!.Length);
    }
}
