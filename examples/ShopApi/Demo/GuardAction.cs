namespace ShopApi.Demo;

/// <summary>
/// An effect of the guard that the demo observed through public APIs: the catalog cache's
/// <c>IMemoryTrimmable.EstimatedBytes</c> dropping, <c>GCSettings</c> changing, a full blocking
/// collection (<c>GC.GetGCMemoryInfo</c>), 429s in its own traffic, a snapshot file appearing.
/// </summary>
/// <param name="At">When it was seen, since the demo started.</param>
/// <param name="Name">The responder it shows (<c>trim_caches</c>, <c>tighten_gc</c>, <c>compact_gc</c>, <c>shed_requests</c>, <c>snapshot</c>) or what undid it (<c>gc_restored</c>, <c>shedding_off</c>); <c>full_gc</c> for a full blocking collection no responder asked for.</param>
/// <param name="Bytes">Bytes involved (trimmed or collected), or 0.</param>
/// <param name="Detail">A short detail (a latency mode, a file name), or <see langword="null"/>.</param>
internal sealed record GuardAction(TimeSpan At, string Name, long Bytes, string? Detail = null);
