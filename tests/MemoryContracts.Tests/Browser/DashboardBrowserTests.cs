using System.Diagnostics;
using MemoryContracts.Tests.Examples;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Browser;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, driven by Playwright) against a real Kestrel
/// app whose guard samples the real heap every 100 ms while a module leaks. Runs alone: the leak
/// must not disturb the tests that grade this process's heap.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const long MB = 1024 * 1024;
    private const string UpdateScreenshotsVariable = "MEMORY_CONTRACTS_UPDATE_SCREENSHOTS";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [ChromiumFact]
    public Task Dashboard_ModuleLeaksUntilElevated_PageShowsElevatedWithoutErrorsAndIsCaptured() =>

        // Bounded as a whole: Playwright's driver start has no timeout of its own, and a browser that
        // never answers must fail this test, not hold the run.
        ShowsElevatedAsync().WaitAsync(TimeSpan.FromMinutes(3));

    private async Task ShowsElevatedAsync()
    {
        var watch = Stopwatch.StartNew();
        using var leak = new LeakingTrimmable();
        await using var app = await StartLeakingAppAsync(leak);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var appStarted = watch.Elapsed;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        output.WriteLine($"browser up {watch.Elapsed.TotalSeconds:0.0} s");
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (errors)
                {
                    errors.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add("page error: " + error);
            }
        };

        output.WriteLine($"page open {watch.Elapsed.TotalSeconds:0.0} s");
        var response = await page.GotoAsync(address + "/memory-contracts");
        Assert.Equal(200, response?.Status);
        output.WriteLine($"page loaded {watch.Elapsed.TotalSeconds:0.0} s");
        await page.WaitForSelectorAsync("#status[data-state='live']", new PageWaitForSelectorOptions { Timeout = 30_000 });
        var pageLive = watch.Elapsed;

        leak.Start(app.Services.GetRequiredService<IMemoryPressure>(), maxBytes: 512 * MB, every: TimeSpan.FromMilliseconds(40), maxTime: Bound);
        await page.WaitForSelectorAsync("#level[data-level='elevated']", new PageWaitForSelectorOptions { Timeout = (float)Bound.TotalMilliseconds });
        await page.WaitForSelectorAsync("#modules tr[data-module='reports'] .lvl[data-level='elevated']", new PageWaitForSelectorOptions { Timeout = 5_000 });
        var reachedAfter = watch.Elapsed;

        // A few more polls, so the plot runs on past the change, then the picture for the docs.
        await page.WaitForTimeoutAsync(3_000);
        Assert.Equal("Elevated", await page.TextContentAsync("#level"));
        Assert.Contains("overall", await page.TextContentAsync("#changes") ?? string.Empty, StringComparison.Ordinal);
        // The container's working set where the process is in a memory cgroup (a container, most CI runners), else n/a.
        var workingSetText = await page.TextContentAsync("#working-set") ?? string.Empty;
        if (app.Services.GetRequiredService<IMemoryPressure>().Current.WorkingSetBytes is null)
        {
            Assert.Equal("n/a", workingSetText);
        }
        else
        {
            Assert.EndsWith("B", workingSetText, StringComparison.Ordinal);
        }
        var screenshot = ScreenshotPath();
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        lock (errors)
        {
            Assert.Empty(errors);
        }

        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is suspiciously small");
        output.WriteLine(
            $"app up {appStarted.TotalSeconds:0.0} s, page live {pageLive.TotalSeconds:0.0} s, Elevated shown {reachedAfter.TotalSeconds:0.0} s "
            + $"(leak held {leak.EstimatedBytes / MB} MB), done {watch.Elapsed.TotalSeconds:0.0} s; screenshot {screenshot}");
    }

    /// <summary>
    /// Where the screenshot goes: the test output directory, unless
    /// <c>MEMORY_CONTRACTS_UPDATE_SCREENSHOTS=1</c> asks for the committed <c>docs/dashboard.png</c>
    /// (so a plain <c>dotnet test</c> leaves the tree clean).
    /// </summary>
    private static string ScreenshotPath() =>
        Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "dashboard.png")
            : Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");

    /// <summary>
    /// Two modules on the real heap: <c>catalog</c>, sized to the process's current heap, and
    /// <c>reports</c> (96 MB), which owns the leak. Elevated from 60% of a budget (High at 90%, so
    /// garbage alone cannot step past Elevated), no responses, slow recovery.
    /// </summary>
    private static async Task<WebApplication> StartLeakingAppAsync(LeakingTrimmable leak)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var contract = new MemoryContract
        {
            Version = "v1.2",
            SamplingInterval = TimeSpan.FromMilliseconds(100),
            Modules =
            [
                new ModuleContract { Name = "catalog", MaxHeapBytes = (2 * baseline / MB + 64) * MB, Routes = ["/catalog"] },
                new ModuleContract { Name = "reports", MaxHeapBytes = 96 * MB, Routes = ["/reports"] },
            ],
            Escalation = new EscalationPolicy { Heap = new LevelRatios(0.60, 0.90, 0.95), RecoverySamples = 1000 },
            Responses = new ResponsePolicy { Elevated = [], High = [], Critical = [] },
        };

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddMemoryContracts(o => o.Contract = contract);
        builder.Services.AddMemoryTrimmable("reports", leak);
        var app = builder.Build();
        app.UseMemoryContracts();
        app.MapGet("/catalog", () => "catalog");
        app.MapMemoryContractsDashboard();
        await app.StartAsync();
        return app;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MemoryContracts.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MemoryContracts.sln not found above " + AppContext.BaseDirectory);
    }
}
