namespace MemoryContracts.Tests.Propagation;

/// <summary>What <see cref="PropagationTestPipeline.UseInboundPropagationForTests"/> learnt about the caller.</summary>
internal sealed record CallerPressureTestFeature(CallerPressure Caller);
