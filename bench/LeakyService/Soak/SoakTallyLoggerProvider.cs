namespace LeakyService;

/// <summary>Feeds every log event of a <c>MemoryContracts</c> category (and every error-level event at all) to the <see cref="SoakTally"/>.</summary>
internal sealed class SoakTallyLoggerProvider(SoakTally tally) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TallyLogger(tally, categoryName);

    public void Dispose()
    {
    }

    private sealed class TallyLogger(SoakTally tally, string category) : ILogger
    {
        private readonly bool _ours = category.StartsWith("MemoryContracts", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => _ours ? logLevel >= LogLevel.Information : logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                tally.Event(_ours ? eventId.Id : -1, logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
