using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// Raises the minimum level of chosen log categories while pressure holds, by adding
/// <see cref="LoggerFilterRule"/>s after the app's own configuration and signalling the logger
/// factory to reload its filters.
/// </summary>
internal sealed class QuietLogsSwitch : IPostConfigureOptions<LoggerFilterOptions>, IOptionsChangeTokenSource<LoggerFilterOptions>, IDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource _changed = new();
    private IReadOnlyList<string> _categories = [];
    private LogLevel _level = LogLevel.Warning;

    public string Name => Options.DefaultName;

    public bool IsQuiet
    {
        get
        {
            lock (_gate)
            {
                return _categories.Count > 0;
            }
        }
    }

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        lock (_gate)
        {
            foreach (var category in _categories)
            {
                options.Rules.Add(new LoggerFilterRule(providerName: null, categoryName: category, logLevel: _level, filter: null));
            }
        }
    }

    /// <summary>Quiets <paramref name="categories"/> to <paramref name="level"/>; returns whether anything changed.</summary>
    public bool Quiet(IReadOnlyList<string> categories, LogLevel level) => Set(categories, level);

    /// <summary>Lifts the quieting; returns whether anything changed.</summary>
    public bool Restore() => Set([], LogLevel.Warning);

    private bool Set(IReadOnlyList<string> categories, LogLevel level)
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            if (_level == level && _categories.SequenceEqual(categories))
            {
                return false;
            }

            _categories = [.. categories];
            _level = level;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _changed.Dispose();
        }
    }
}
