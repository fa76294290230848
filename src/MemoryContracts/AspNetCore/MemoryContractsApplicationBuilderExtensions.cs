using Microsoft.AspNetCore.Builder;

namespace MemoryContracts;

/// <summary>
/// Adds the MemoryContracts middleware to an application's pipeline.
/// </summary>
public static class MemoryContractsApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the middleware that assigns each request to its module (<see cref="IMemoryPressureFeature"/>),
    /// reads a trusted caller's <c>X-Memory-*</c> headers, and sheds non-core requests with 429 under
    /// memory pressure. Place it early: after routing (which <c>WebApplication</c> adds first by
    /// default) so the endpoint's module is known, and before the endpoints it protects. When the
    /// pipeline is built it checks the app's endpoints against the contract: an endpoint naming a module
    /// the contract lacks, or (with <c>strict_endpoints: true</c>) an endpoint no module claims, fails start-up.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><c>AddMemoryContracts</c> was not called on the services.</exception>
    public static IApplicationBuilder UseMemoryContracts(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService(typeof(MemoryContractsMarker)) is null)
        {
            throw new InvalidOperationException(
                "Unable to find the required services. Call 'builder.Services.AddMemoryContracts()' before 'app.UseMemoryContracts()'.");
        }

        return app.UseMiddleware<MemoryContractsMiddleware>();
    }
}
