namespace MemoryContracts.Yarp.Tests.Parsing;

public sealed class OrcaLoadReportParserTests
{
    [Fact]
    public void TryParse_FullTextReport_ReadsApplicationAndMemUtilization()
    {
        Assert.True(OrcaLoadReportParser.TryParse(
            "TEXT application_utilization=0.68, cpu_utilization=0.12, mem_utilization=0.55, rps_fractional=240.5, eps=0.5", out var report));

        Assert.Equal(0.68, report.ApplicationUtilization);
        Assert.Equal(0.55, report.MemUtilization);
    }

    [Fact]
    public void TryParse_OnlyMemUtilization_ApplicationIsNaN()
    {
        Assert.True(OrcaLoadReportParser.TryParse("TEXT mem_utilization=0.68", out var report));

        Assert.True(double.IsNaN(report.ApplicationUtilization));
        Assert.Equal(0.68, report.MemUtilization);
    }

    [Fact]
    public void TryParse_NamedMetricsAndExponent_Accepted()
    {
        Assert.True(OrcaLoadReportParser.TryParse("TEXT named_metrics.queue=3, utilization.disk=0.1,mem_utilization=6.8e-1", out var report));

        Assert.Equal(0.68, report.MemUtilization, 10);
    }

    [Theory]
    [InlineData("")]
    [InlineData("TEXT")]
    [InlineData("TEXT ")]
    [InlineData("text mem_utilization=0.5")]
    [InlineData("JSON {\"mem_utilization\":0.5}")]
    [InlineData("TEXT mem_utilization=-0.5")]
    [InlineData("TEXT mem_utilization=+0.5")]
    [InlineData("TEXT mem_utilization=0,5")]
    [InlineData("TEXT mem_utilization=")]
    [InlineData("TEXT mem_utilization")]
    [InlineData("TEXT =0.5")]
    [InlineData("TEXT mem utilization=0.5")]
    [InlineData("TEXT mem_utilization=0.5,")]
    [InlineData("TEXT mem_utilization=Infinity")]
    [InlineData("TEXT mem_utilization=NaN")]
    [InlineData("TEXT mem_utilization=1e400")]
    [InlineData("TEXT mem_utilization=0.5 0.6")]
    public void TryParse_Malformed_ReturnsFalse(string value) =>
        Assert.False(OrcaLoadReportParser.TryParse(value, out _));

    [Fact]
    public void TryParse_LongerThanMaxLength_ReturnsFalse()
    {
        var value = "TEXT mem_utilization=0.5, " + string.Join(", ", Enumerable.Range(0, 400).Select(i => $"named_metrics.m{i}=1"));
        Assert.True(value.Length > OrcaLoadReportParser.MaxLength);

        Assert.False(OrcaLoadReportParser.TryParse(value, out _));
    }
}
