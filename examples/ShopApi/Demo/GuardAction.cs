namespace ShopApi.Demo;

/// <summary>Something the guard did, as its logs told it.</summary>
/// <param name="At">When, since the demo started.</param>
/// <param name="Name">A short name: the responder (<c>trim_caches</c>, <c>tighten_gc</c>, <c>compact_gc</c>, <c>shed_requests</c>, ...) or event.</param>
/// <param name="Bytes">Bytes involved (trimmed or collected), or 0.</param>
internal sealed record GuardAction(TimeSpan At, string Name, long Bytes);
