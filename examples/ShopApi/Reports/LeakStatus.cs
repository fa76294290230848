namespace ShopApi.Reports;

/// <summary>How much the reports module has leaked.</summary>
/// <param name="LeakedMb">MB held by the leak now.</param>
/// <param name="ReleasedMb">MB released by this request (0 unless it released).</param>
internal sealed record LeakStatus(long LeakedMb, long ReleasedMb);
