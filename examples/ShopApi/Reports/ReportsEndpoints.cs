using System.Globalization;
using System.Text;
using MemoryContracts;
using ShopApi.Checkout;

namespace ShopApi.Reports;

/// <summary>
/// Module <c>reports</c> (non-core, lowest priority: shed first). <c>POST /reports/leak?mb=N</c> leaks
/// managed memory for real, <c>POST /reports/leak/native?mb=N</c> native memory the GC never sees;
/// <c>DELETE /reports/leak</c> releases both and is never shed, so an operator can always undo the
/// damage, even at Critical.
/// </summary>
internal static class ReportsEndpoints
{
    /// <summary>The module's name in the contract.</summary>
    public const string Module = "reports";

    private const int MaxLeakPerRequestMb = 64;

    public static void MapReports(this IEndpointRouteBuilder endpoints)
    {
        var reports = endpoints.MapGroup("/reports").WithMemoryContract(Module);
        reports.MapGet("/daily", BuildDaily);
        reports.MapGet("/leak", () => new LeakStatus(ReportsLeak.Bytes / ReportsLeak.ChunkBytes, 0, ReportsNativeLeak.HeldMb));
        reports.MapPost("/leak", Leak);
        reports.MapPost("/leak/native", LeakNative);
        reports.MapDelete("/leak", Release).DisableMemoryShedding();
    }

    private static DailyReport BuildDaily(OrderBook orders)
    {
        // Reports are allocation heavy: the text of the report is built and thrown away.
        var text = new StringBuilder();
        for (var line = 0; line < 200; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{line,4} orders={orders.Orders} revenue={orders.Revenue:F2}\n");
        }

        return new DailyReport(orders.Orders, orders.Revenue, 200, StringComparer.Ordinal.GetHashCode(text.ToString()));
    }

    private static IResult Leak(int? mb)
    {
        if (BadSize(mb) is { } problem)
        {
            return problem;
        }

        return Results.Ok(new LeakStatus(ReportsLeak.Add(mb ?? 1) / ReportsLeak.ChunkBytes, 0, ReportsNativeLeak.HeldMb));
    }

    private static IResult LeakNative(int? mb)
    {
        if (BadSize(mb) is { } problem)
        {
            return problem;
        }

        var native = ReportsNativeLeak.Add(mb ?? 1);
        return Results.Ok(new LeakStatus(ReportsLeak.Bytes / ReportsLeak.ChunkBytes, 0, native));
    }

    private static IResult? BadSize(int? mb) => mb is null or (>= 1 and <= MaxLeakPerRequestMb)
        ? null
        : Results.Problem($"mb must be 1 to {MaxLeakPerRequestMb}, not {mb}.", statusCode: StatusCodes.Status400BadRequest);

    private static LeakStatus Release()
    {
        var released = ReportsLeak.Release() / ReportsLeak.ChunkBytes;
        released += ReportsNativeLeak.Release();

        // The managed leak was in the large object heap, which only a full collection returns;
        // collect now rather than wait for the GC's own schedule, so the recovery shows at once.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return new LeakStatus(0, released, 0);
    }
}
