using System.Globalization;

namespace MemoryContracts.Tests.LoadReporting;

public sealed class OrcaLoadTextTests
{
    private static MemoryPressureSnapshot Snapshot(int usagePercent) =>
        new(PressureLevel.Normal, usagePercent, 2048L * 1024 * 1024, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public void Format_AllFigures_IsTheDesignsTextFormAndParsesBackAsEnvoyReadsIt()
    {
        var value = OrcaLoadText.Format(Snapshot(68), new LoadFigures(0.12, 240.5, 0.5, 3));

        Assert.Equal("TEXT application_utilization=0.68, cpu_utilization=0.12, mem_utilization=0.68, rps_fractional=240.5, eps=0.5", value);
        Assert.Equal(new OrcaReport(0.68, 0.12, 0.68, 240.5, 0.5), OrcaReport.Parse(value));
    }

    [Fact]
    public void Format_CpuAboveMemory_ApplicationUtilizationIsTheCpu()
    {
        var report = OrcaReport.Parse(OrcaLoadText.Format(Snapshot(20), new LoadFigures(0.8125, 10, 0, 1)));

        Assert.Equal(0.8125, report.ApplicationUtilization);
        Assert.Equal(0.8125, report.CpuUtilization);
        Assert.Equal(0.2, report.MemUtilization);
    }

    [Fact]
    public void Format_OverBudget_MemCappedAtOneApplicationNot()
    {
        var report = OrcaReport.Parse(OrcaLoadText.Format(Snapshot(140), new LoadFigures(0.1, 10, 0, 1)));

        Assert.Equal(1, report.MemUtilization);
        Assert.Equal(1.4, report.ApplicationUtilization);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-3)]
    public void Format_FigureNotAFiniteNonNegativeNumber_SentAsZero(double bad)
    {
        var value = OrcaLoadText.Format(Snapshot(-5), new LoadFigures(bad, bad, bad, 1));

        Assert.Equal("TEXT application_utilization=0, cpu_utilization=0, mem_utilization=0, rps_fractional=0, eps=0", value);
    }

    [Fact]
    public void Format_LongFractions_RoundedToFourAndThreeDecimals()
    {
        var report = OrcaReport.Parse(OrcaLoadText.Format(Snapshot(50), new LoadFigures(0.123456, 1.0 / 3, 2.0 / 3, 1)));

        Assert.Equal(0.1235, report.CpuUtilization);
        Assert.Equal(0.333, report.RpsFractional);
        Assert.Equal(0.667, report.Eps);
    }

    [Fact]
    public void Format_CultureWithDecimalComma_StillWritesDecimalPoints()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;

            var value = OrcaLoadText.Format(Snapshot(68), new LoadFigures(0.12, 240.5, 0.5, 1));

            Assert.Equal(new OrcaReport(0.68, 0.12, 0.68, 240.5, 0.5), OrcaReport.Parse(value));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
