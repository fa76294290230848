using MemoryContracts;

namespace ShopApi;

/// <summary>What the demo and the benchmarks vary when they build the shop API.</summary>
internal sealed class ShopOptions
{
    /// <summary>Gets a value indicating whether MemoryContracts is on. The default value is <see langword="true"/>.</summary>
    public bool UseContracts { get; init; } = true;

    /// <summary>Gets a contract given in code instead of memory_contract.yaml. The default value is <see langword="null"/>.</summary>
    public MemoryContract? Contract { get; init; }

    /// <summary>Gets the inventory service's base address, overriding <c>Inventory:BaseAddress</c>. The default value is <see langword="null"/>.</summary>
    public string? InventoryBaseAddress { get; init; }

    /// <summary>Gets a last adjustment of the builder (URLs, logging). The default value is <see langword="null"/>.</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; init; }
}
