namespace MemoryContracts;

/// <summary>Registered by <c>AddMemoryContracts</c>; <c>UseMemoryContracts</c> looks for it to fail fast when it is missing.</summary>
internal sealed class MemoryContractsMarker
{
}
