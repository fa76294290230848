using System.Text;

namespace MemoryContracts;

/// <summary>
/// The error raised for a contract that cannot be loaded: malformed or hostile YAML, an unknown key,
/// a wrong type, a value out of range, or a rule of the contract broken. The message names the file,
/// the line and column and the key at fault wherever they are known.
/// </summary>
public sealed class MemoryContractException : Exception
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public MemoryContractException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public MemoryContractException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Initializes a new instance naming where the error is.</summary>
    /// <param name="reason">What is wrong, without the location.</param>
    /// <param name="key">The dotted key at fault (for example <c>modules[0].max_heap_mb</c>), or <see langword="null"/>.</param>
    /// <param name="line">The 1-based line, or <see langword="null"/> when unknown.</param>
    /// <param name="column">The 1-based column, or <see langword="null"/> when unknown.</param>
    /// <param name="filePath">The file, or <see langword="null"/> when the contract came from a string or code.</param>
    /// <param name="innerException">The error that caused this one, or <see langword="null"/>.</param>
    public MemoryContractException(string reason, string? key, int? line, int? column, string? filePath = null, Exception? innerException = null)
        : base(Format(reason, key, line, column, filePath), innerException)
    {
        Reason = reason;
        Key = key;
        Line = line;
        Column = column;
        FilePath = filePath;
    }

    /// <summary>Gets the 1-based line of the error, or <see langword="null"/> when unknown.</summary>
    public int? Line { get; }

    /// <summary>Gets the 1-based column of the error, or <see langword="null"/> when unknown.</summary>
    public int? Column { get; }

    /// <summary>Gets the dotted key at fault (for example <c>modules[0].max_heap_mb</c>), or <see langword="null"/>.</summary>
    public string? Key { get; }

    /// <summary>Gets the contract file, or <see langword="null"/> when the contract came from a string or code.</summary>
    public string? FilePath { get; }

    /// <summary>Gets what is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>Returns a copy of this error that names <paramref name="filePath"/>.</summary>
    internal MemoryContractException WithFile(string filePath) =>
        new(Reason, Key, Line, Column, filePath, InnerException);

    private static string Format(string reason, string? key, int? line, int? column, string? filePath)
    {
        var text = new StringBuilder("Invalid memory contract");
        if (filePath is not null)
        {
            text.Append(" '").Append(filePath).Append('\'');
        }

        if (line is not null)
        {
            text.Append(" at line ").Append(line.Value);
            if (column is not null)
            {
                text.Append(", column ").Append(column.Value);
            }
        }

        if (key is not null)
        {
            text.Append(" (key '").Append(key).Append("')");
        }

        return text.Append(": ").Append(reason).ToString();
    }
}
