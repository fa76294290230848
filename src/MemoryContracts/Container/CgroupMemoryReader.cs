using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemoryContracts;

/// <summary>
/// Reads the process's memory cgroup: the working set the kernel and the kubelet count (usage minus
/// inactive file pages) and the tightest limit. v2: <c>memory.current</c> − <c>inactive_file</c> of
/// <c>memory.stat</c>, the lowest <c>memory.max</c> from the process's cgroup up to the mount's root.
/// v1: <c>memory.usage_in_bytes</c> − <c>total_inactive_file</c>, <c>hierarchical_memory_limit</c>
/// of <c>memory.stat</c> (else <c>memory.limit_in_bytes</c>).
/// </summary>
/// <remarks>
/// The cgroup is found at the first <see cref="Read"/>; its files stay open and each read is a
/// <c>pread</c> into one reused buffer, parsed from bytes: no allocation at steady state. Nothing
/// throws: what is missing, unreadable or garbled is null in the reading, <see cref="Problem"/> says
/// why, and each distinct problem is logged once. No cgroup at the first read is final; a read that
/// fails later (the cgroup was removed, the process moved) closes the files and the cgroup is looked
/// up again, at most once per retry interval. Safe to call from several threads (one at a time).
/// </remarks>
internal sealed class CgroupMemoryReader : IDisposable
{
    /// <summary>The default wait between attempts to find the cgroup again after a read failed.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(30);

    private const int InitialBufferBytes = 4096;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _rootPath;
    private readonly string _process;
    private readonly TimeSpan _retryInterval;
    private readonly Lock _gate = new();

    private byte[] _buffer = new byte[InitialBufferBytes];
    private State _state;
    private long _retryAt;
    private CgroupFile? _usage;
    private CgroupFile? _stat;
    private CgroupFile[] _limits = [];
    private ProblemKey _problemKey;
    private string? _lastLogged;

    /// <summary>Initializes a new instance; nothing is read until <see cref="Read"/>.</summary>
    /// <param name="time">The clock that paces the retries.</param>
    /// <param name="logger">Where problems are logged (once each); none when null.</param>
    /// <param name="rootPath">The root the <c>/proc</c> and <c>/sys</c> paths are under. The default value is <c>/</c>; tests give a fixture tree.</param>
    /// <param name="process">Which <c>/proc</c> entry names the cgroup. The default value is <c>self</c>; tests give a child's process id.</param>
    /// <param name="retryInterval">The wait between attempts to find the cgroup again. The default value is 30 seconds.</param>
    public CgroupMemoryReader(TimeProvider time, ILogger? logger = null, string rootPath = "/", string process = "self", TimeSpan? retryInterval = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        ArgumentException.ThrowIfNullOrEmpty(process);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _rootPath = rootPath;
        _process = process;
        _retryInterval = retryInterval ?? DefaultRetryInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(_retryInterval, TimeSpan.Zero, nameof(retryInterval));
    }

    private enum State
    {
        NotResolved,
        Open,
        Lost,
        Unavailable,
    }

    private enum ProblemKind
    {
        None,
        Resolution,
        ReadFailed,
        ValueGarbled,
        StatKeyMissing,
        StatKeyGarbled,
        NoLimitSource,
    }

    /// <summary>Gets where the cgroup was found; null before the first read or when it was not found.</summary>
    public CgroupLocation? Location { get; private set; }

    /// <summary>Gets why the last reading lacks a figure; null when it had every figure (a missing limit is not a problem).</summary>
    public string? Problem { get; private set; }

    /// <summary>Gets a value indicating whether the reader has given up: no memory cgroup was found at the first read.</summary>
    public bool IsUnavailable => _state == State.Unavailable;

    /// <summary>Reads the cgroup's memory figures; never throws.</summary>
    /// <returns>The reading; figures that cannot be read are null.</returns>
    public ContainerMemoryReading Read()
    {
        lock (_gate)
        {
            if (_state != State.Open && !TryOpen())
            {
                return ContainerMemoryReading.Unavailable;
            }

            return ReadOpen();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseFiles();
            _state = State.Unavailable;
        }
    }

    private bool TryOpen()
    {
        switch (_state)
        {
            case State.Unavailable:
                return false;
            case State.Lost when _time.GetTimestamp() < _retryAt:
                return false;
        }

        var firstAttempt = _state == State.NotResolved;
        var location = CgroupLocator.Locate(_rootPath, _process, out var problem);
        string? openProblem = null;
        if (location is not null && !TryOpenFiles(location, out openProblem))
        {
            location = null;
            problem = openProblem;
        }

        if (location is null)
        {
            var message = problem ?? "the memory cgroup was not found";
            if (firstAttempt)
            {
                _state = State.Unavailable;
                SetProblem(new ProblemKey(ProblemKind.Resolution, null, message), message);
                ContainerLog.MemoryUnavailable(_logger, message);
            }
            else
            {
                _retryAt = _time.GetTimestamp() + RetryTicks();
                if (SetProblem(new ProblemKey(ProblemKind.Resolution, null, message), message))
                {
                    ContainerLog.CgroupLost(_logger, message, _retryInterval.TotalSeconds);
                }
            }

            return false;
        }

        Location = location;
        _state = State.Open;
        ContainerLog.CgroupFound(_logger, location.Version, location.Directory);
        return true;
    }

    private bool TryOpenFiles(CgroupLocation location, out string? problem)
    {
        var v2 = location.Version == CgroupVersion.V2;
        _usage = CgroupFile.TryOpen(Path.Join(location.Directory, v2 ? "memory.current" : "memory.usage_in_bytes"), out problem);
        _stat = _usage is null ? null : CgroupFile.TryOpen(Path.Join(location.Directory, "memory.stat"), out problem);
        if (_usage is null || _stat is null)
        {
            CloseFiles();
            return false;
        }

        // Limit files are optional: the root of a v2 mount has no memory.max, and v1 reads
        // hierarchical_memory_limit from memory.stat when the kernel writes it.
        var limits = new List<CgroupFile>();
        foreach (var directory in location.LimitDirectories)
        {
            var path = Path.Join(directory, v2 ? "memory.max" : "memory.limit_in_bytes");
            if (File.Exists(path) && CgroupFile.TryOpen(path, out _) is { } file)
            {
                limits.Add(file);
            }
        }

        _limits = [.. limits];
        problem = null;
        return true;
    }

    private ContainerMemoryReading ReadOpen()
    {
        var v2 = Location!.Version == CgroupVersion.V2;
        var problem = default(ProblemKey);

        if (!TryReadFile(_usage!, out var usageBytes))
        {
            return ContainerMemoryReading.Unavailable;
        }

        long? usage = CgroupValueParser.ParseValue(usageBytes, out var usageValue) == CgroupValueStatus.Number ? usageValue : null;
        if (usage is null)
        {
            problem = new ProblemKey(ProblemKind.ValueGarbled, _usage!.Path, null);
        }

        if (!TryReadFile(_stat!, out var statBytes))
        {
            return ContainerMemoryReading.Unavailable;
        }

        var inactiveKey = v2 ? "inactive_file"u8 : "total_inactive_file"u8;
        long? inactive = null;
        switch (CgroupValueParser.FindStatValue(statBytes, inactiveKey, out var inactiveValue))
        {
            case CgroupValueStatus.Number:
                inactive = inactiveValue;
                break;
            case CgroupValueStatus.Missing:
                problem = problem.OrElse(ProblemKind.StatKeyMissing, _stat!.Path, v2 ? "inactive_file" : "total_inactive_file");
                break;
            default:
                problem = problem.OrElse(ProblemKind.StatKeyGarbled, _stat!.Path, v2 ? "inactive_file" : "total_inactive_file");
                break;
        }

        // Copy what is needed out of the buffer before the limit files reuse it.
        var hierarchicalValue = 0L;
        var hierarchical = v2 ? CgroupValueStatus.Missing : CgroupValueParser.FindStatValue(statBytes, "hierarchical_memory_limit"u8, out hierarchicalValue);
        long? limit = null;
        var limitKnown = true;
        if (hierarchical == CgroupValueStatus.Number)
        {
            limit = hierarchicalValue;
        }
        else if (hierarchical == CgroupValueStatus.Garbled)
        {
            limitKnown = false;
            problem = problem.OrElse(ProblemKind.StatKeyGarbled, _stat!.Path, "hierarchical_memory_limit");
        }
        else if (hierarchical == CgroupValueStatus.Missing)
        {
            if (!v2 && _limits.Length == 0)
            {
                limitKnown = false;
                problem = problem.OrElse(ProblemKind.NoLimitSource, _stat!.Path, null);
            }

            foreach (var file in _limits)
            {
                if (!TryReadFile(file, out var limitBytes))
                {
                    return ContainerMemoryReading.Unavailable;
                }

                switch (CgroupValueParser.ParseValue(limitBytes, out var value))
                {
                    case CgroupValueStatus.Number:
                        limit = limit is { } tighter ? Math.Min(tighter, value) : value;
                        break;
                    case CgroupValueStatus.Unlimited:
                        break;
                    default:
                        limitKnown = false;
                        problem = problem.OrElse(ProblemKind.ValueGarbled, file.Path, null);
                        break;
                }
            }
        }

        if (problem.Kind == ProblemKind.None)
        {
            ClearProblem();
        }
        else if (SetProblem(problem, null))
        {
            ContainerLog.FigureUnusable(_logger, Problem!);
        }

        long? workingSet = usage is { } u && inactive is { } i ? Math.Max(0, u - i) : null;
        return new ContainerMemoryReading(workingSet, limitKnown ? limit : null, usage, inactive, limitKnown);
    }

    private bool TryReadFile(CgroupFile file, out ReadOnlySpan<byte> content)
    {
        var failure = file.TryRead(ref _buffer, out var length);
        if (failure is null)
        {
            content = _buffer.AsSpan(0, length);
            return true;
        }

        content = default;
        CloseFiles();
        _state = State.Lost;
        _retryAt = _time.GetTimestamp() + RetryTicks();
        if (SetProblem(new ProblemKey(ProblemKind.ReadFailed, file.Path, null), null))
        {
            ContainerLog.CgroupReadFailed(_logger, file.Path, _retryInterval.TotalSeconds, failure);
        }

        return false;
    }

    private long RetryTicks() => (long)(_retryInterval.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Records the problem; builds its text only when it differs from the current one.</summary>
    /// <returns>Whether it should be logged: it is not the one logged last.</returns>
    private bool SetProblem(ProblemKey key, string? text)
    {
        if (key == _problemKey && Problem is not null)
        {
            return false;
        }

        _problemKey = key;
        Problem = text ?? Describe(key);
        if (string.Equals(Problem, _lastLogged, StringComparison.Ordinal))
        {
            return false;
        }

        _lastLogged = Problem;
        return true;
    }

    private static string Describe(ProblemKey key) => key.Kind switch
    {
        ProblemKind.ValueGarbled => $"{key.Path} does not hold a byte count",
        ProblemKind.StatKeyMissing => $"{key.Path} has no {key.Key} line",
        ProblemKind.StatKeyGarbled => $"the {key.Key} value of {key.Path} is not a byte count",
        ProblemKind.NoLimitSource => $"{key.Path} has no hierarchical_memory_limit line and memory.limit_in_bytes could not be opened",
        ProblemKind.ReadFailed => $"reading {key.Path} failed",
        _ => key.Key ?? "unknown",
    };

    private void ClearProblem()
    {
        _problemKey = default;
        Problem = null;
    }

    private void CloseFiles()
    {
        _usage?.Dispose();
        _stat?.Dispose();
        foreach (var file in _limits)
        {
            file.Dispose();
        }

        _usage = null;
        _stat = null;
        _limits = [];
    }

    /// <summary>Identifies a problem without building its text (paths and keys are the same string instances each read).</summary>
    private readonly record struct ProblemKey(ProblemKind Kind, string? Path, string? Key)
    {
        public ProblemKey OrElse(ProblemKind kind, string path, string? key) =>
            Kind == ProblemKind.None ? new ProblemKey(kind, path, key) : this;
    }
}
