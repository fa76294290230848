using System.Text;
using YamlDotNet.Core;
using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary>Hostile input is refused with <see cref="MemoryContractException"/> in well under a second, never expanded or hung.</summary>
public sealed class HostileContractTests
{
    [Fact]
    public void Parse_StringOverOneMebibyte_Refused()
    {
        var yaml = OneModule + "\n#" + new string('x', 1024 * 1024);

        var error = RefusedQuickly(yaml);

        Assert.Contains("1 MiB", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MultiByteStringOverOneMebibyteInUtf8_Refused()
    {
        var yaml = OneModule + "\n#" + new string('\u00e9', 600 * 1024);

        var error = RefusedQuickly(yaml);

        Assert.Contains("1 MiB", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOverOneMebibyte_RefusedBeforeReading()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mc-large-{Guid.NewGuid():N}.yaml");
        using (var file = File.Create(path))
        {
            file.SetLength(64L * 1024 * 1024);
        }

        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Load(path));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refused in {watch.Elapsed.TotalMilliseconds} ms");
            Assert.Contains("67108864 bytes", error.Reason, StringComparison.Ordinal);
            Assert.Equal(path, error.FilePath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_BillionLaughsNineDeep_RefusedAtTheNodeBudget()
    {
        var yaml = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 9)).Append("]\n");
        }

        var error = RefusedQuickly(yaml.ToString());

        Assert.Contains("alias", error.Reason, StringComparison.Ordinal);
        Assert.Contains("10000", error.Reason.Replace(",", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Parse_AliasBombInsideAKnownKey_RefusedBeforeAnyKeyCheck()
    {
        var yaml = new StringBuilder("modules:\n  - name: a\n    routes: &r0 [\"/a\", \"/a\", \"/a\", \"/a\", \"/a\", \"/a\", \"/a\", \"/a\", \"/a\", \"/a\"]\n");
        yaml.Append("responses:\n  quiet_logs:\n    categories: [");
        yaml.AppendJoin(", ", Enumerable.Repeat("*r0", 2000)).Append("]\n");

        var error = RefusedQuickly(yaml.ToString());

        Assert.Contains("alias", error.Reason, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Parse_FlowSequencesFiftyThousandDeep_RefusedAtDepth64()
    {
        var error = RefusedQuickly(new string('[', 50_000) + new string(']', 50_000));

        Assert.Contains("nested more than 64 levels", error.Reason, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Equal(65, error.Column);
    }

    [Fact]
    public void Parse_FlowMappingsFiftyThousandDeep_RefusedAtDepth64()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            yaml.Append("a: {");
        }

        var error = RefusedQuickly(yaml.ToString());

        Assert.Contains("nested more than 64 levels", error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("a.a.a.a", error.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BlockSequencesFiftyThousandDeep_RefusedAtDepth64()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            yaml.Append("- ");
        }

        var error = RefusedQuickly(yaml.Append('x').ToString());

        Assert.Contains("nested more than 64 levels", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void YamlDotNetParser_FiftyThousandDeepBlockNesting_ParsesWithoutRecursion()
    {
        // The event parser keeps its states on an explicit stack: reading every event of a 50,000-deep
        // document must not overflow the call stack (our reader stops at depth 64 long before).
        var yaml = string.Concat(Enumerable.Repeat("- ", 50_000)) + "x";
        var parser = new Parser(new StringReader(yaml));
        var events = 0;

        while (parser.MoveNext())
        {
            events++;
        }

        Assert.Equal(100_005, events);
    }

    [Fact]
    public void YamlDotNetParser_TwentyThousandDeepFlowNesting_FailsCleanlyWithoutRecursion()
    {
        // Unclosed flow sequences, read to the end: a syntax error at the end, not a stack overflow.
        // (The flow scanner is quadratic in depth, about 0.7 s here for 20,000; our reader stops at 64.)
        var parser = new Parser(new StringReader(new string('[', 20_000)));
        var events = 0;

        var error = Assert.ThrowsAny<YamlException>(() =>
        {
            while (parser.MoveNext())
            {
                events++;
            }
        });

        Assert.Equal(20_002, events);
        Assert.Contains("did not find expected node content", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999999999999999", "too large")]
    [InlineData("1e400", "too large")]
    [InlineData("-1e400", "too large")]
    [InlineData("8796093022208", "too large")]
    [InlineData(".inf", "must be finite")]
    [InlineData("-.inf", "must be finite")]
    [InlineData(".nan", "must be finite")]
    [InlineData(".NaN", "must be finite")]
    public void Parse_HugeOrNonFiniteHeapBudget_Refused(string number, string reason)
    {
        var error = RefusedQuickly($"modules:\n  - name: a\n    max_heap_mb: {number}\n");

        Names(error, "modules[0].max_heap_mb", 3, 18, reason);
    }

    [Theory]
    [InlineData("priority: 99999999999999999999999", "modules[0].priority")]
    [InlineData("priority: 2147483648", "modules[0].priority")]
    [InlineData("alloc_rate_mb_per_sec: 1e400", "modules[0].alloc_rate_mb_per_sec")]
    [InlineData("gc_trigger_ratio: .nan", "modules[0].gc_trigger_ratio")]
    [InlineData("required_gc_pauses_ms: \"<99999999999\"", "modules[0].required_gc_pauses_ms")]
    [InlineData("required_gc_pauses_ms: 1e300", "modules[0].required_gc_pauses_ms")]
    [InlineData("max_heap_percent: 1e400", "modules[0].max_heap_percent")]
    public void Parse_OverflowingNumber_Refused(string entry, string key)
    {
        var error = RefusedQuickly($"modules:\n  - name: a\n    {entry}\n");

        Names(error, key, 3);
    }

    [Theory]
    [InlineData("sampling: { interval_ms: 99999999999999999999 }", "sampling.interval_ms")]
    [InlineData("escalation: { recovery_samples: 1e400 }", "escalation.recovery_samples")]
    [InlineData("responses: { shed: { retry_after_seconds: 9999999999 } }", "responses.shed.retry_after_seconds")]
    public void Parse_OverflowingSetting_Refused(string entry, string key)
    {
        var error = RefusedQuickly(OneModule + "\n" + entry + "\n");

        Names(error, key, 4);
    }

    [Fact]
    public void Parse_VeryLongValue_Refused()
    {
        var error = RefusedQuickly($"version: {new string('v', 200_000)}\n" + OneModule);

        Names(error, "version", 1, 10, "over the limit of 4096");
    }

    [Fact]
    public void Parse_VeryLongQuotedKey_Refused()
    {
        var error = RefusedQuickly($"\"{new string('k', 200_000)}\": 1\n" + OneModule);

        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parse_LongKeyUnderTheScalarLimit_RefusedAsUnknownWithAShortMessage()
    {
        var error = RefusedQuickly(OneModule + $"\n\"{new string('k', 1000)}\": 1\n");

        Assert.Contains("unknown key", error.Reason, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 600, $"message of {error.Message.Length} characters");
    }

    [Fact]
    public void Parse_HalfAMegabyteOfListItems_RefusedAtTheNodeBudget()
    {
        var yaml = "modules:\n  - name: a\n    routes: [" + string.Join(", ", Enumerable.Repeat("\"/a\"", 100_000)) + "]\n";

        var error = RefusedQuickly(yaml);

        Assert.Contains("more than 10000", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ThousandsOfKeysInOneMapping_CostsLinearTime()
    {
        // Found by the fuzz tests (Fuzzing/ContractReaderFuzzTests): each key was checked for a duplicate by
        // scanning the keys before it, so 4,000 keys took about 15 times as long as 1,000 (0.6 s in Debug).
        static string Keys(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"k{i}: {i}\n")) + OneModule;
        static double Milliseconds(string yaml)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));
            return watch.Elapsed.TotalMilliseconds;
        }

        var small = Keys(600);
        var large = Keys(4_800);
        Milliseconds(small);
        Milliseconds(large);

        // The fastest of five, measured in turns, so a busy machine slows both alike.
        double fastestSmall = double.MaxValue, fastestLarge = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            fastestSmall = Math.Min(fastestSmall, Milliseconds(small));
            fastestLarge = Math.Min(fastestLarge, Milliseconds(large));
        }

        // Eight times the keys: about eight times the time when linear, sixty-four when quadratic.
        var ratio = fastestLarge / fastestSmall;
        Assert.True(ratio < 32, $"4,800 keys took {ratio:0.0} times as long as 600 ({fastestLarge:0.0} ms against {fastestSmall:0.0} ms)");
        Assert.Equal("k0", RefusedQuickly(large).Key);
    }

    [Theory]
    [InlineData("\\uDE00\\uD83D")]
    [InlineData("\\uD800\\u0041")]
    [InlineData("\\uDFFF\\uD83D\\uDE00")]
    [InlineData("\\UFFFFFFFF")]
    public void Parse_EscapeNamingNoUnicodeCharacter_RefusedNamingKeyAndLine(string escape)
    {
        // Found by the fuzz tests (Fuzzing/MemoryHeaderParserFuzzTests): YamlDotNet's scanner let an
        // ArgumentOutOfRangeException out of MemoryContract.Parse for these escapes.
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(OneModule + $"\nversion: \"{escape}\"\n"));

        Names(error, "version", line: 4, reason: "names no Unicode character");
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
    }
}
