using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary>
/// Issue 10, defect 10: in .NET, <c>$</c> also matches before a final <c>\n</c>, so names and
/// patterns with a trailing newline passed. Every anchored rule must refuse them, naming the key.
/// </summary>
public sealed class TrailingNewlineTests
{
    [Fact]
    public void Parse_ModuleNameWithTrailingNewline_FailsNamingTheKey()
    {
        Refused("modules:\n  - name: \"catalog\\n\"\n", "modules[0].name", 2, 11, "module name");
    }

    [Theory]
    [InlineData("elevated", "alert")]
    [InlineData("high", "tighten_gc")]
    [InlineData("critical", "shed_requests")]
    public void Parse_ResponderNameWithTrailingNewline_FailsNamingTheKey(string level, string responder)
    {
        Refused(OneModule + $"\nresponses:\n  {level}: [\"{responder}\\n\"]\n", $"responses.{level}[0]", reason: "responder name");
    }

    [Fact]
    public void Parse_OutboundHostWithTrailingNewline_FailsNamingTheKey()
    {
        Refused(OneModule + "\npropagation:\n  outbound_hosts: [\"inventory\\n\"]\n", "propagation.outbound_hosts[0]", reason: "is not a host pattern");
    }

    [Fact]
    public void Parse_PauseBoundWithTrailingNewline_FailsNamingTheKey()
    {
        Refused("modules:\n  - name: catalog\n    required_gc_pauses_ms: \"<5\\n\"\n", "modules[0].required_gc_pauses_ms", 3, reason: "malformed pause");
    }

    [Theory]
    [InlineData("catalog\n", null, "modules[0].name")]
    [InlineData("catalog", "alert\n", "responses.high[0]")]
    public void Validate_CodeContractNameWithTrailingNewline_FailsNamingTheKey(string module, string? responder, string key)
    {
        var contract = new MemoryContract
        {
            Modules = [new ModuleContract { Name = module }],
            Responses = new ResponsePolicy { High = responder is null ? ["alert"] : [responder] },
        };

        var error = Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(contract));

        Names(error, key);
    }

    [Fact]
    public void TryParse_HostWithTrailingNewline_Refused()
    {
        Assert.True(HostPattern.TryParse("api.internal", out _, out _, out _));
        Assert.False(HostPattern.TryParse("api.internal\n", out _, out _, out var reason));
        Assert.False(HostPattern.TryParse("*.svc\n", out _, out _, out _));
        Assert.Contains("is not a host pattern", reason, StringComparison.Ordinal);
    }
}
