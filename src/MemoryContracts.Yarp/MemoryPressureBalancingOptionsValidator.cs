using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>Validates <see cref="MemoryPressureBalancingOptions"/> (run at start-up through <c>ValidateOnStart</c>).</summary>
internal sealed class MemoryPressureBalancingOptionsValidator : IValidateOptions<MemoryPressureBalancingOptions>
{
    internal static readonly TimeSpan MinHalfLife = TimeSpan.FromMilliseconds(10);

    internal static readonly TimeSpan MaxHalfLife = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, MemoryPressureBalancingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ReportHalfLife < MinHalfLife || options.ReportHalfLife > MaxHalfLife)
        {
            failures.Add($"MemoryPressureBalancingOptions.ReportHalfLife is {options.ReportHalfLife}; give a value between {MinHalfLife} and {MaxHalfLife}.");
        }

        if (!(options.UsageTolerancePercent is >= 0 and <= 100))
        {
            failures.Add($"MemoryPressureBalancingOptions.UsageTolerancePercent is {options.UsageTolerancePercent}; give a value between 0 and 100.");
        }

        if (!(options.MaxUsagePercent is >= 1 and <= 1000))
        {
            failures.Add($"MemoryPressureBalancingOptions.MaxUsagePercent is {options.MaxUsagePercent}; give a value between 1 and 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
