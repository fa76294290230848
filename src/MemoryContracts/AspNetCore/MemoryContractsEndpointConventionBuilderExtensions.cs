using Microsoft.AspNetCore.Builder;

namespace MemoryContracts;

/// <summary>
/// Assigns endpoints (minimal APIs, route groups, controllers) to a module, or exempts them from shedding.
/// </summary>
public static class MemoryContractsEndpointConventionBuilderExtensions
{
    private static readonly DisableMemorySheddingAttribute DisableShedding = new();

    /// <summary>
    /// Assigns the endpoint(s) to <paramref name="module"/>, a module of the contract. Endpoint metadata
    /// wins over the module's <c>routes</c>; an endpoint's own metadata wins over its group's. A name the
    /// contract does not define fails start-up.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint(s).</param>
    /// <param name="module">The module's name, as in the contract.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder WithMemoryContract<TBuilder>(this TBuilder builder, string module)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        var metadata = new MemoryContractAttribute(module);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }

    /// <summary>
    /// Marks the endpoint(s) as never shed, whatever the pressure (as <see cref="DisableMemorySheddingAttribute"/> does).
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint(s).</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder DisableMemoryShedding<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(DisableShedding));
        return builder;
    }
}
