namespace MemoryContracts.Yarp.Tests.Registration;

public sealed class MemoryPressureBalancingOptionsValidatorTests
{
    private static readonly MemoryPressureBalancingOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(Validator.Validate(null, new MemoryPressureBalancingOptions()).Succeeded);

    [Fact]
    public void Validate_Defaults_AreTheDocumentedOnes()
    {
        var options = new MemoryPressureBalancingOptions();

        Assert.Equal(TimeSpan.FromSeconds(3), options.ReportHalfLife);
        Assert.Equal(10, options.UsageTolerancePercent);
        Assert.Equal(95, options.MaxUsagePercent);
    }

    [Theory]
    [InlineData(0, 10, 95, "ReportHalfLife")]
    [InlineData(7200, 10, 95, "ReportHalfLife")]
    [InlineData(3, -1, 95, "UsageTolerancePercent")]
    [InlineData(3, 101, 95, "UsageTolerancePercent")]
    [InlineData(3, double.NaN, 95, "UsageTolerancePercent")]
    [InlineData(3, 10, 0.5, "MaxUsagePercent")]
    [InlineData(3, 10, 1001, "MaxUsagePercent")]
    [InlineData(3, 10, double.NaN, "MaxUsagePercent")]
    public void Validate_OutOfRange_FailsNamingTheOption(double halfLifeSeconds, double tolerance, double max, string option)
    {
        var result = Validator.Validate(null, new MemoryPressureBalancingOptions
        {
            ReportHalfLife = TimeSpan.FromSeconds(halfLifeSeconds),
            UsageTolerancePercent = tolerance,
            MaxUsagePercent = max,
        });

        Assert.True(result.Failed);
        Assert.Contains(option, result.FailureMessage, StringComparison.Ordinal);
    }
}
