using System.Runtime;
using MemoryContracts;
using Microsoft.Extensions.Caching.Memory;

namespace LeakyService;

/// <summary>
/// <c>--soak</c>: what bench/SoakDriver needs from the service under test. Adds the throwing responder
/// (<see cref="ThrowingResponder"/>, <c>soak_throws</c>), the in-process tally
/// (<see cref="SoakTally"/>), a non-core read endpoint with a bounded working set (<c>GET
/// /catalog/{id}</c>, module <c>catalog</c>: 200 keys of 8 KB in the module cache), and <c>GET
/// /soak[?collect=true]</c>, the tally as JSON (with <c>collect</c>, after a full compacting
/// collection, so <c>heapMb</c> is what is still referenced).
/// </summary>
internal static class SoakMode
{
    private const int EntryBytes = 8 * 1024;
    private const int Keys = 200;

    public static void AddTo(WebApplicationBuilder builder, SoakTally tally)
    {
        builder.Services.AddSingleton<IMemoryPressureResponder, ThrowingResponder>();
        builder.Logging.AddProvider(new SoakTallyLoggerProvider(tally));
    }

    public static void Map(WebApplication app, SoakTally tally)
    {
        app.MapGet("/catalog/{id:int}", (int id, [FromKeyedServices("catalog")] IMemoryCache cache) =>
        {
            var key = "item-" + (Math.Abs(id) % Keys);
            var item = cache.GetOrCreate(key, entry =>
            {
                entry.Size = EntryBytes;
                var bytes = new byte[EntryBytes];
                bytes.AsSpan().Fill((byte)id);
                return bytes;
            });
            return Results.Ok(item?.Length ?? 0);
        }).WithMemoryContract("catalog");

        app.MapGet("/soak", (bool? collect) =>
        {
            if (collect == true)
            {
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            return Results.Ok(new
            {
                heapMb = GC.GetTotalMemory(false) / (1024.0 * 1024),
                nativeMb = NativeLeak.HeldMb,
                tickCount = tally.TickLag.Count,
                tickLagMaxMs = tally.TickLag.MaxMs,
                tickLagP99Ms = tally.TickLag.QuantileMs(0.99),
                throwingResponderActs = ThrowingResponder.Acts,
                throwingResponderUndos = ThrowingResponder.Undos,
                unobservedTaskExceptions = tally.UnobservedTaskExceptions,
                counters = tally.Counters,
                events = tally.Events,
                unexpectedErrors = tally.UnexpectedErrors,
            });
        }).DisableMemoryShedding();
    }
}
