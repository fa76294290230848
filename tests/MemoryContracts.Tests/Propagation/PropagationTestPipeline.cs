using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>
/// Stands in for <c>UseMemoryContracts()</c> (written on another branch) for the part propagation
/// owns: one call to <see cref="InboundPropagation.OnRequest"/> per request, first in the pipeline,
/// with the monitor's current snapshot; the result goes on the features as a
/// <see cref="CallerPressureTestFeature"/>. At merge, switch these tests to <c>UseMemoryContracts()</c>
/// and read <c>IMemoryPressureFeature</c> instead.
/// </summary>
internal static class PropagationTestPipeline
{
    public static IApplicationBuilder UseInboundPropagationForTests(this IApplicationBuilder app)
    {
        var inbound = app.ApplicationServices.GetRequiredService<InboundPropagation>();
        var monitor = app.ApplicationServices.GetRequiredService<MemoryPressureMonitor>();

        // async, like the real middleware: the caller-bypass flag set for this request stays in this flow.
        return app.Use(async (context, next) =>
        {
            var caller = inbound.OnRequest(context, monitor.Current);
            context.Features.Set(new CallerPressureTestFeature(caller));
            await next(context);
        });
    }

    /// <summary>
    /// Sets <see cref="ConnectionInfo.RemoteIpAddress"/> for TestServer requests (which have none),
    /// the way a test of a proxied deployment would after <c>UseForwardedHeaders</c>.
    /// </summary>
    public static IApplicationBuilder UseRemoteAddressForTests(this IApplicationBuilder app, System.Net.IPAddress address) =>
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = address;
            return next(context);
        });
}
