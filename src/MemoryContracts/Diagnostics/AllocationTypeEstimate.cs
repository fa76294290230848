namespace MemoryContracts;

/// <summary>The estimated allocations of one type in an <see cref="AllocationProfile"/>.</summary>
/// <param name="TypeName">The type's full name, as the runtime reports it.</param>
/// <param name="EstimatedBytes">The bytes allocated for the type, estimated from its samples (<see cref="AllocationUpscaling"/>).</param>
/// <param name="Samples">How many <c>AllocationSampled</c> events the type had.</param>
/// <param name="Share">The type's share of all estimated bytes, 0 to 1.</param>
internal readonly record struct AllocationTypeEstimate(string TypeName, long EstimatedBytes, long Samples, double Share);
