using MemoryContracts;

namespace LeakyService;

/// <summary>
/// <c>soak_throws</c> (<c>--soak</c> only): a custom responder that throws every time it is called,
/// both when entering a level it is named for (acting) and when undoing, so the soak shows the guard
/// logs and counts a failing responder and goes on. It counts its own calls for the soak's report.
/// </summary>
internal sealed class ThrowingResponder : IMemoryPressureResponder
{
    public const string ResponderName = "soak_throws";

    private static long _acts;
    private static long _undos;

    public static long Acts => Interlocked.Read(ref _acts);

    public static long Undos => Interlocked.Read(ref _undos);

    public string Name => ResponderName;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (change.ShouldAct(Name))
        {
            Interlocked.Increment(ref _acts);
            throw new InvalidOperationException($"soak: {Name} throws on entering {change.Level}");
        }

        Interlocked.Increment(ref _undos);
        throw new InvalidOperationException($"soak: {Name} throws on undoing ({change.PreviousLevel} to {change.Level})");
    }
}
