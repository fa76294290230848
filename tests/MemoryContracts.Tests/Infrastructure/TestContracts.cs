namespace MemoryContracts.Tests.Infrastructure;

/// <summary>Contracts built in code for tests.</summary>
internal static class TestContracts
{
    public const long MB = 1024 * 1024;

    /// <summary>One module with a heap budget; default escalation (0.80/0.90/0.95, counts 1/2/3, recovery 5).</summary>
    public static MemoryContract SingleModule(long maxHeapMb = 1000, MemoryContractMode mode = MemoryContractMode.Enforce, ResponsePolicy? responses = null, EscalationPolicy? escalation = null) => new()
    {
        Mode = mode,
        Modules = [new ModuleContract { Name = "app", MaxHeapBytes = maxHeapMb * MB }],
        Responses = responses ?? new ResponsePolicy(),
        Escalation = escalation ?? new EscalationPolicy(),
    };

    /// <summary>No responses at any level, so tests see grading alone.</summary>
    public static ResponsePolicy NoResponses => new() { Elevated = [], High = [], Critical = [] };
}
