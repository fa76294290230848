namespace ShopApi.Reports;

/// <summary>The daily report.</summary>
/// <param name="Orders">Orders placed since start.</param>
/// <param name="Revenue">Their total.</param>
/// <param name="Lines">Lines in the report.</param>
/// <param name="Digest">A digest of the report's text.</param>
internal sealed record DailyReport(long Orders, decimal Revenue, int Lines, int Digest);
