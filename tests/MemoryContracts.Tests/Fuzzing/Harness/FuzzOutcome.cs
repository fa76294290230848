namespace MemoryContracts.Tests.Fuzzing;

/// <summary>What a parser did with one input: returned <see cref="Value"/>, or threw <see cref="Error"/>.</summary>
internal readonly record struct FuzzOutcome<TResult>(TResult? Value, Exception? Error)
{
    public bool Threw => Error is not null;
}
