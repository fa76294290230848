namespace MemoryContracts;

/// <summary>The named-options name under which a module cache's <c>MemoryCacheOptions</c> are configured.</summary>
internal static class ModuleCacheOptionsName
{
    public static string For(string module) => "MemoryContracts:" + module;
}
