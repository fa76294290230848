using MemoryContracts;
using Microsoft.Extensions.Caching.Memory;

namespace LeakyService;

/// <summary>
/// The leaky service of the survival runs. Non-core requests grow the heap for real: <c>POST /cache</c>
/// puts a new 1 MB entry in the catalog's cache (never evicted by itself: no size limit, no expiry)
/// and <c>POST /leak</c> adds 1 MB to a static list (<c>DELETE /leak</c> lets it go). <c>POST /native</c> (module <c>imaging</c>)
/// leaks 1 MB of native memory the GC never sees (<see cref="NativeLeak"/>); <c>POST
/// /files/scan?mb=N[&amp;write=buffered]</c> (module <c>files</c>) writes and reads back an N MB file
/// through the page cache (<see cref="FileScan"/>). <c>POST /orders</c> is the core work. With
/// <c>--no-contracts</c> the same endpoints run without MemoryContracts; <c>--contract FILE</c>
/// picks the contract (default <c>survival_contract.yaml</c>, next to the binaries); <c>--soak</c>
/// adds what bench/SoakDriver reads and provokes (<see cref="SoakMode"/>).
/// </summary>
internal static class LeakyApp
{
    private const int Chunk = 1024 * 1024;
    private static readonly List<byte[]> Leak = [];
    private static readonly Lock Gate = new();
    private static long _cacheKeys;

    public static WebApplication Create(string[] args, bool useContracts, string contractPath = "survival_contract.yaml", SoakTally? soak = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (soak is not null)
        {
            SoakMode.AddTo(builder, soak);
        }
        if (useContracts)
        {
            builder.Services.AddMemoryContracts(options => options.ContractPath = contractPath);
            builder.Services.AddMemoryContractCache("catalog");
        }
        else
        {
            builder.Services.AddKeyedSingleton<IMemoryCache>("catalog", (_, _) => new MemoryCache(new MemoryCacheOptions()));
        }

        var app = builder.Build();
        if (useContracts)
        {
            app.UseMemoryContracts();
            app.Services.GetRequiredService<IMemoryPressure>().OnChange(snapshot => HighestLevel.Observe(snapshot.Level));
        }

        app.MapPost("/cache", ([FromKeyedServices("catalog")] IMemoryCache cache) =>
        {
            var key = Interlocked.Increment(ref _cacheKeys);
            cache.Set(key, Filled(), new MemoryCacheEntryOptions { Size = Chunk });
            return Results.Ok(key);
        }).WithMemoryContract("catalog");

        app.MapPost("/leak", () =>
        {
            var chunk = Filled();
            lock (Gate)
            {
                Leak.Add(chunk);
                return Results.Ok(Leak.Count);
            }
        }).WithMemoryContract("reports");

        app.MapDelete("/leak", () =>
        {
            lock (Gate)
            {
                var freed = Leak.Count;
                Leak.Clear();
                return Results.Ok(freed);
            }
        }).WithMemoryContract("reports").DisableMemoryShedding();

        if (soak is not null)
        {
            SoakMode.Map(app, soak);
        }

        app.MapPost("/native", () => Results.Ok(NativeLeak.Grow())).WithMemoryContract("imaging");
        app.MapDelete("/native", () => Results.Ok(NativeLeak.Release())).WithMemoryContract("imaging").DisableMemoryShedding();

        app.MapPost("/files/scan", (int mb, string? write, CancellationToken cancellationToken) => FileScan.RunAsync(mb, write != "buffered", cancellationToken)).WithMemoryContract("files");

        app.MapPost("/orders", (Order order) =>
        {
            // A little real work: price the order in a scratch buffer.
            var scratch = new byte[4096];
            scratch.AsSpan().Fill((byte)order.Quantity);
            return Results.Ok(new Order(order.Id, order.Quantity, scratch[^1] * 10));
        }).WithMemoryContract("checkout");

        app.MapGet("/stats", (IServiceProvider services) =>
        {
            var pressure = services.GetService<IMemoryPressure>()?.Current;
            int leaked;
            lock (Gate)
            {
                leaked = Leak.Count;
            }

            return new Stats(
                GC.GetTotalMemory(false) / Chunk,
                leaked,
                pressure?.Level.ToString() ?? "none",
                pressure?.UsagePercent ?? 0,
                GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / Chunk,
                NativeLeak.HeldMb,
                pressure?.WorkingSetBytes / Chunk,
                pressure?.ContainerLimitBytes / Chunk,
                pressure is null ? "none" : HighestLevel.Value.ToString());
        }).DisableMemoryShedding();

        return app;
    }

    private static byte[] Filled()
    {
        var chunk = new byte[Chunk];
        chunk.AsSpan().Fill(0x5A);
        return chunk;
    }
}
