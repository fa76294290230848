using Microsoft.Extensions.Primitives;

namespace MemoryContracts.Yarp.Tests.Parsing;

public sealed class ReportedUsageTests
{
    [Fact]
    public void TryRead_OrcaAndMemoryUsage_PrefersApplicationUtilization()
    {
        Assert.True(ReportedUsage.TryRead("TEXT application_utilization=0.9, mem_utilization=0.4", "10%", out var percent));

        Assert.Equal(90, percent, 6);
    }

    [Fact]
    public void TryRead_OrcaWithoutApplicationUtilization_UsesMemUtilization()
    {
        Assert.True(ReportedUsage.TryRead("TEXT cpu_utilization=0.9, mem_utilization=0.4", "10%", out var percent));

        Assert.Equal(40, percent, 6);
    }

    [Fact]
    public void TryRead_ApplicationUtilizationZero_FallsBackToMemoryUsage()
    {
        Assert.True(ReportedUsage.TryRead("TEXT application_utilization=0", "70%", out var percent));

        Assert.Equal(70, percent);
    }

    [Fact]
    public void TryRead_OnlyApplicationUtilizationZero_ReadsZero()
    {
        Assert.True(ReportedUsage.TryRead("TEXT application_utilization=0", StringValues.Empty, out var percent));

        Assert.Equal(0, percent);
    }

    [Fact]
    public void TryRead_MalformedOrca_UsesMemoryUsage()
    {
        Assert.True(ReportedUsage.TryRead("TEXT application_utilization=lots", "68%", out var percent));

        Assert.Equal(68, percent);
    }

    [Fact]
    public void TryRead_OrcaWithNoUtilization_UsesMemoryUsage()
    {
        Assert.True(ReportedUsage.TryRead("TEXT rps_fractional=240.5, eps=0.5", "68", out var percent));

        Assert.Equal(68, percent);
    }

    [Fact]
    public void TryRead_HugeReport_ClampedToMaxPercent()
    {
        Assert.True(ReportedUsage.TryRead(StringValues.Empty, "2000000%", out var percent));

        Assert.Equal(ReportedUsage.MaxPercent, percent);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("TEXT cpu_utilization=0.5", null)]
    [InlineData("garbage", "garbage")]
    [InlineData(null, "12.5%")]
    public void TryRead_NothingUsable_ReturnsFalse(string? orca, string? usage) =>
        Assert.False(ReportedUsage.TryRead(orca is null ? StringValues.Empty : orca, usage is null ? StringValues.Empty : usage, out _));

    [Fact]
    public void TryRead_HeadersRepeated_Ignored() =>
        Assert.False(ReportedUsage.TryRead(new StringValues(["TEXT mem_utilization=0.1", "TEXT mem_utilization=0.9"]), new StringValues(["10%", "90%"]), out _));
}
