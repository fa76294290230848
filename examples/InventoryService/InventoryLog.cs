namespace InventoryService;

/// <summary>The inventory service's log messages.</summary>
internal static partial class InventoryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Stock {Sku} not cached: the caller reports {CallerUsagePercent}% memory usage.")]
    public static partial void CacheWriteBypassed(ILogger logger, string sku, int callerUsagePercent);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Stock {Sku} not cached: this service is under memory pressure.")]
    public static partial void CacheWriteRefused(ILogger logger, string sku);
}
