namespace ShopApi;

/// <summary>
/// Runs a built shop API until shutdown, printing each URL it listens on
/// (<c>ShopApi listening on http://...</c>: bench/load.sh reads that line to find the port).
/// </summary>
internal static class ShopHost
{
    /// <summary>Starts <paramref name="app"/>, prints its URLs and waits for shutdown; returns the exit code.</summary>
    /// <param name="app">The application, built and not started.</param>
    /// <param name="description">What runs, for the banner (for example <c>memory contracts enforced</c>).</param>
    public static async Task<int> RunAsync(WebApplication app, string description)
    {
        await using (app)
        {
            await app.StartAsync();
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"ShopApi listening on {url} ({description}). Try {url}/catalog/products/42");
            }

            await app.WaitForShutdownAsync();
        }

        return 0;
    }
}
