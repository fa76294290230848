namespace MemoryContracts;

/// <summary>
/// A responder named in <c>responses</c> that is not built in: a custom <see cref="IMemoryPressureResponder"/>
/// the contract expects to be registered, with where the contract names it.
/// </summary>
/// <param name="Name">The responder's name.</param>
/// <param name="Key">The dotted key naming it, for example <c>responses.high[2]</c>.</param>
/// <param name="Line">The 1-based line, or <see langword="null"/> for a contract given in code.</param>
/// <param name="Column">The 1-based column, or <see langword="null"/> for a contract given in code.</param>
internal sealed record ResponderReference(string Name, string Key, int? Line, int? Column);
