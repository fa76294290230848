using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>Test-only pipeline pieces for the propagation tests.</summary>
internal static class PropagationTestPipeline
{
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
