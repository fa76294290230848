namespace MemoryContracts;

/// <summary>The running totals at one moment: a load window's rates are the difference of two of these over the time between them.</summary>
/// <param name="Timestamp">When, on the injected <see cref="TimeProvider"/>'s timestamp scale.</param>
/// <param name="Requests">Requests counted since the process started.</param>
/// <param name="Errors">Errors (5xx and shed 429s) counted since the process started.</param>
/// <param name="CpuTime">Processor time the process had used.</param>
internal readonly record struct LoadCheckpoint(long Timestamp, long Requests, long Errors, TimeSpan CpuTime);
