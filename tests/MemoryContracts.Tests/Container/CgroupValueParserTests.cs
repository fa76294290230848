using System.Text;

namespace MemoryContracts.Tests.Container;

public class CgroupValueParserTests
{
    [Theory]
    [InlineData("536870912\n", "Number", 536870912L)]
    [InlineData("0\n", "Number", 0L)]
    [InlineData("42", "Number", 42L)]
    [InlineData("max\n", "Unlimited", 0L)]
    [InlineData("9223372036854771712\n", "Unlimited", 9223372036854771712L)]
    [InlineData("9223372036854710272\n", "Unlimited", 9223372036854710272L)]
    [InlineData("\n", "Garbled", 0L)]
    [InlineData("", "Garbled", 0L)]
    [InlineData("12ab\n", "Garbled", 0L)]
    [InlineData("-1\n", "Garbled", 0L)]
    [InlineData("1 2\n", "Garbled", 0L)]
    [InlineData("9223372036854775808\n", "Garbled", 0L)]
    [InlineData("123456789012345678901\n", "Garbled", 0L)]
    [InlineData("maximum\n", "Garbled", 0L)]
    public void ParseValue_Content_GivesStatusAndValue(string content, string status, long value)
    {
        Assert.Equal(Enum.Parse<CgroupValueStatus>(status), CgroupValueParser.ParseValue(Encoding.ASCII.GetBytes(content), out var parsed));
        Assert.Equal(value, parsed);
    }

    [Fact]
    public void FindStatValue_V1Stat_MatchesWholeKeysOnly()
    {
        var stat = "inactive_file 1\ntotal_inactive_file 2\ninactive_file_extra 3\n"u8;

        Assert.Equal(CgroupValueStatus.Number, CgroupValueParser.FindStatValue(stat, "inactive_file"u8, out var own));
        Assert.Equal(CgroupValueStatus.Number, CgroupValueParser.FindStatValue(stat, "total_inactive_file"u8, out var total));
        Assert.Equal(1, own);
        Assert.Equal(2, total);
    }

    [Fact]
    public void FindStatValue_KeyOnlyAsPrefixOfALongerKey_Missing()
    {
        Assert.Equal(CgroupValueStatus.Missing, CgroupValueParser.FindStatValue("inactive_file_extra 3\nfile 9\n"u8, "inactive_file"u8, out _));
    }

    [Fact]
    public void FindStatValue_LastLineWithoutNewline_Found()
    {
        Assert.Equal(CgroupValueStatus.Number, CgroupValueParser.FindStatValue("anon 1\ninactive_file 77"u8, "inactive_file"u8, out var value));
        Assert.Equal(77, value);
    }

    [Fact]
    public void FindStatValue_GarbledValue_Garbled()
    {
        Assert.Equal(CgroupValueStatus.Garbled, CgroupValueParser.FindStatValue("inactive_file x7\n"u8, "inactive_file"u8, out _));
    }
}
