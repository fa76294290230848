namespace MemoryContracts.Tests.Infrastructure;

/// <summary>A custom responder that records each change it is given, and can be told to throw.</summary>
public sealed class RecordingResponder(string name) : IMemoryPressureResponder
{
    public string Name { get; } = name;

    public List<MemoryPressureChange> Changes { get; } = [];

    public Exception? Throw { get; set; }

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        Changes.Add(change);
        return Throw is null ? ValueTask.CompletedTask : ValueTask.FromException(Throw);
    }
}
