using System.Reflection;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>
/// A real <see cref="WebApplication"/> on a <see cref="TestServer"/> with manual pressure and a
/// contract given in code. Publish pressure with <c>app.Services.Publish(...)</c> after start.
/// </summary>
internal static class TestApp
{
    /// <summary>The contract most tests use: catalog (non-core, /catalog), checkout (core, /checkout), reports (/reports, /reports/daily is ops).</summary>
    public static MemoryContract Contract(MemoryContractMode mode = MemoryContractMode.Enforce, bool strict = false, int retryAfterSeconds = 5) => new()
    {
        Mode = mode,
        StrictEndpoints = strict,
        Modules =
        [
            new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true, Routes = ["/checkout"] },
            new ModuleContract { Name = "reports", Routes = ["/reports"] },
            new ModuleContract { Name = "ops", Core = true, Routes = ["/reports/daily"] },
        ],
        Responses = new ResponsePolicy { Shed = new ShedPolicy { RetryAfterSeconds = retryAfterSeconds } },
    };

    public static async Task<WebApplication> StartAsync(
        MemoryContract contract,
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null,
        FakeTimeProvider? time = null,
        ScriptedSampler? sampler = null,
        params Type[] controllers)
    {
        var app = Build(contract, map, services, time, sampler, controllers);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public static WebApplication Build(
        MemoryContract contract,
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null,
        FakeTimeProvider? time = null,
        ScriptedSampler? sampler = null,
        params Type[] controllers)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMemoryContracts(o => o.Contract = contract);
        builder.Services.AddManualPressure(time, sampler);
        builder.Services.AddHealthChecks().AddMemoryContracts();
        if (controllers.Length > 0)
        {
            // Only the controllers a test names, so other tests' controllers never join in.
            builder.Services.AddControllers().ConfigureApplicationPartManager(parts =>
            {
                parts.ApplicationParts.Clear();
                parts.ApplicationParts.Add(new TypesPart(controllers));
            });
        }

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseMemoryContracts();
        map(app);
        return app;
    }

    /// <summary>A handler that answers with the request's module (or "-") so tests see the feature.</summary>
    public static string Module(HttpContext context) =>
        context.Features.Get<IMemoryPressureFeature>()?.Module ?? "-";

    private sealed class TypesPart(Type[] types) : ApplicationPart, IApplicationPartTypeProvider
    {
        public override string Name => "MemoryContracts.Tests.AspNetCore";

        public IEnumerable<TypeInfo> Types => types.Select(t => t.GetTypeInfo());
    }
}
