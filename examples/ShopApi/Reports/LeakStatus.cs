namespace ShopApi.Reports;

/// <summary>How much the reports module has leaked.</summary>
/// <param name="LeakedMb">MB of managed memory held by the leak now.</param>
/// <param name="ReleasedMb">MB released by this request, managed and native (0 unless it released).</param>
/// <param name="NativeMb">MB of native memory held by the leak now.</param>
internal sealed record LeakStatus(long LeakedMb, long ReleasedMb, long NativeMb);
