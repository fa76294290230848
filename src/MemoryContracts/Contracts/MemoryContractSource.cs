using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>
/// The contract in force for this process: from <see cref="MemoryContractsOptions.Contract"/> (validated
/// like a file) or the file at <see cref="MemoryContractsOptions.ContractPath"/>, narrowed to
/// <see cref="MemoryContractsOptions.Modules"/>. A file is watched: a good change replaces the contract
/// and raises <see cref="Changed"/>; a bad one is logged (with its line) and the last good contract stays.
/// A bad or missing file when the source is created throws, which fails start-up.
/// </summary>
internal sealed class MemoryContractSource : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<string> _modules;
    private readonly ContractFileWatcher? _watcher;
    private readonly object _reloadGate = new();
    private readonly object _raiseGate = new();
    private MemoryContract _current;
    private long _attempts;
    private long _decided;
    private string? _text;
    private string? _lastFailure;
    private string? _pendingFailure;
    private bool _disposed;

    public MemoryContractSource(IOptions<MemoryContractsOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<MemoryContractSource>();
        var value = options.Value;
        _modules = [.. value.Modules];

        if (value.Contract is { } given)
        {
            MemoryContractValidator.Validate(given);
            _current = Narrow(given, _modules);
            if (_logger.IsEnabled(LogLevel.Information))
            {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
                ContractLog.ContractGivenInCode(_logger, _current.Version, _current.Mode, _current.Modules.Count, ModuleNames(_current));
#pragma warning restore CA1873
            }

            return;
        }

        var environment = services.GetService<IHostEnvironment>();
        FilePath = ResolvePath(value.ContractPath, environment?.ContentRootPath);
        _text = MemoryContractReader.ReadText(FilePath);
        _current = Narrow(MemoryContractReader.Read(_text, FilePath), _modules);
        if (_logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
            ContractLog.ContractLoaded(_logger, _current.Version, FilePath, _current.Mode, _current.Modules.Count, ModuleNames(_current));
#pragma warning restore CA1873
        }

        _watcher = new ContractFileWatcher(
            FilePath,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            Reload,
            e => ContractLog.WatchFailed(_logger, FilePath, e),
            reason => ContractLog.WatcherUnavailable(_logger, FilePath, reason, ContractFileWatcher.PollInterval.TotalSeconds));
    }

    /// <summary>Gets the contract in force, narrowed to the modules this process hosts.</summary>
    public MemoryContract Current => Volatile.Read(ref _current);

    /// <summary>Raised with the new contract after a good reload.</summary>
    public event Action<MemoryContract>? Changed;

    /// <summary>
    /// Gets the metrics, resolved when first needed (on a reload): the metrics read the monitor, whose
    /// first snapshot is compiled from this source, so resolving them while this source is built would
    /// be a cycle.
    /// </summary>
    private MemoryContractsMetrics? Metrics => _services.GetService<MemoryContractsMetrics>();

    /// <summary>Gets the full path of the watched file, or <see langword="null"/> for a contract given in code.</summary>
    internal string? FilePath { get; }

    public void Dispose()
    {
        lock (_reloadGate)
        {
            _disposed = true;
        }

        _watcher?.Dispose();
    }

    /// <summary>
    /// Checks the contract in force against the registered <see cref="IMemoryPressureResponder"/>s
    /// (<see cref="MemoryContractValidator.EnsureRespondersKnown"/>).
    /// </summary>
    internal void EnsureRespondersKnown() => MemoryContractValidator.EnsureRespondersKnown(Current, RegisteredResponderNames());

    /// <summary>Replaces the contract in force and raises <see cref="Changed"/>.</summary>
    internal void Replace(MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Volatile.Write(ref _current, contract);

        RaiseIfCurrent(contract);
    }

    /// <summary>
    /// Re-reads the file; applies it when it is good and different, else logs and keeps the contract in force.
    /// The file is read and parsed outside the reload lock (a file that blocks, on a hung mount, holds no lock
    /// that <see cref="Dispose"/> or another reload waits for); the result is applied under it, unless a read
    /// that started later was applied first.
    /// </summary>
    internal void Reload()
    {
        if (FilePath is null || Volatile.Read(ref _disposed))
        {
            return;
        }

        var attempt = Interlocked.Increment(ref _attempts);
        string? text = null;
        MemoryContract? next = null;
        MemoryContractException? error = null;
        try
        {
            text = MemoryContractReader.ReadText(FilePath);
            if (!string.Equals(text, Volatile.Read(ref _text), StringComparison.Ordinal))
            {
                next = Narrow(MemoryContractReader.Read(text, FilePath), _modules);
                MemoryContractValidator.EnsureRespondersKnown(next, RegisteredResponderNames());
            }
        }
        catch (MemoryContractException e)
        {
            error = e;
        }

        lock (_reloadGate)
        {
            if (_disposed || attempt <= _decided)
            {
                return;
            }

            _decided = attempt;
            if (error is null && string.Equals(text, _text, StringComparison.Ordinal))
            {
                _lastFailure = null;
                _pendingFailure = null;
                ContractLog.ContractUnchanged(_logger, FilePath);
                return;
            }

            if (error is not null)
            {
                // A failure is confirmed by a second read one debounce later (an editor's half-written
                // file is not an error), then logged and counted once: the same bad file stays quiet.
                var failure = (text ?? string.Empty) + "\n" + error.Message;
                if (string.Equals(failure, _lastFailure, StringComparison.Ordinal))
                {
                    return;
                }

                if (_watcher is not null && !string.Equals(failure, _pendingFailure, StringComparison.Ordinal))
                {
                    _pendingFailure = failure;
                    _watcher.Signal();
                    return;
                }

                _pendingFailure = null;
                _lastFailure = failure;
                Metrics?.ContractReloaded(false);
                ContractLog.ContractReloadFailed(_logger, FilePath, error.Line, error.Column, error.Key, Current.Version, error.Message, error);
                return;
            }

            if (next is null)
            {
                // Read as the text in force, which an earlier read replaced meanwhile: read it again.
                _watcher?.Signal();
                return;
            }

            Volatile.Write(ref _text, text);
            _lastFailure = null;
            _pendingFailure = null;
            Volatile.Write(ref _current, next);
            Metrics?.ContractReloaded(true);
            if (_logger.IsEnabled(LogLevel.Information))
            {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
                ContractLog.ContractReloaded(_logger, FilePath, next.Version, next.Mode, next.Modules.Count, ModuleNames(next));
#pragma warning restore CA1873
            }
        }

        RaiseIfCurrent(next);
    }

    internal static string ResolvePath(string path, string? contentRoot) =>
        Path.IsPathRooted(path) || contentRoot is null ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(contentRoot, path));

    internal static MemoryContract Narrow(MemoryContract contract, IEnumerable<string> modules)
    {
        var wanted = modules.ToList();
        if (wanted.Count == 0)
        {
            return contract;
        }

        var kept = new List<ModuleContract>(wanted.Count);
        foreach (var name in wanted)
        {
            var module = contract.Modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
            if (module is null)
            {
                var defined = contract.Modules.Select(m => m.Name).ToArray();
                throw new MemoryContractException(
                    $"MemoryContracts:Modules names module '{name}', which the contract does not define{KeySuggestion.Hint(name, defined)}; it defines: {string.Join(", ", defined)}",
                    "MemoryContracts:Modules", null, null, contract.SourcePath);
            }

            kept.Add(module);
        }

        return contract.With(modules: kept);
    }

    private string[] RegisteredResponderNames() =>
        [.. _services.GetServices<IMemoryPressureResponder>().Select(r => r.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Raises <see cref="Changed"/> with <paramref name="contract"/> if it is still the one in force, one
    /// raise at a time: two reloads that finish together never leave subscribers on the older contract.
    /// </summary>
    private void RaiseIfCurrent(MemoryContract contract)
    {
        lock (_raiseGate)
        {
            if (ReferenceEquals(Current, contract))
            {
                RaiseChanged(contract);
            }
        }
    }

    private void RaiseChanged(MemoryContract contract)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<MemoryContract>>())
        {
            try
            {
                handler(contract);
            }
#pragma warning disable CA1031 // One failing subscriber must not keep the others from the new contract.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ContractLog.ChangedHandlerFailed(_logger, contract.Version, e);
            }
        }
    }

    private static string ModuleNames(MemoryContract contract) => string.Join(", ", contract.Modules.Select(m => m.Name));
}
