using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Reads contract YAML into a validated <see cref="MemoryContract"/>: size check, event-driven tree
/// building under the limits of <see cref="ContractLimits"/> (<see cref="ContractTreeBuilder"/>), typed
/// reading of every key of DESIGN §2 with unknown-key and wrong-type errors that name line, column and
/// dotted key, then the rules of <see cref="MemoryContractValidator"/>.
/// </summary>
internal sealed partial class MemoryContractReader
{
    private const double BytesPerMegabyte = 1024 * 1024;

    private static readonly string[] RootKeys = ["version", "mode", "strict_endpoints", "sampling", "modules", "escalation", "responses", "propagation", "health", "leak_detection", "container"];
    private static readonly string[] SamplingKeys = ["interval_ms"];
    private static readonly string[] ModuleKeys = ["name", "max_heap_mb", "max_heap_percent", "alloc_rate_mb_per_sec", "gc_trigger_ratio", "required_gc_pauses_ms", "core", "priority", "routes"];
    private static readonly string[] EscalationKeys = ["heap", "alloc_rate", "gc_pause", "working_set", "consecutive", "recovery_samples"];
    private static readonly string[] ContainerKeys = ["enabled", "limit_mb"];
    private static readonly string[] LevelKeys = ["elevated", "high", "critical"];
    private static readonly string[] ResponseKeys = ["elevated", "high", "critical", "trim_fraction", "shed", "compact_gc", "snapshot", "quiet_logs", "dump", "timeout_seconds"];
    private static readonly string[] ShedKeys = ["retry_after_seconds", "scaled", "exempt_paths"];
    private static readonly string[] CompactGcKeys = ["min_interval_seconds"];
    private static readonly string[] SnapshotKeys = ["directory", "min_interval_seconds"];
    private static readonly string[] QuietLogsKeys = ["categories", "level"];
    private static readonly string[] DumpKeys = ["directory", "min_interval_seconds", "max_files"];
    private static readonly string[] HealthKeys = ["unready_at"];
    private static readonly string[] LeakDetectionKeys = ["enabled", "full_gcs", "min_growth_mb"];
    private static readonly string[] UnreadyAtValues = ["critical", "high", "never"];
    private static readonly string[] PropagationKeys = ["outbound", "outbound_hosts", "response_headers", "orca", "trusted_networks", "bypass_cache_writes_above_percent", "downstream_backoff_above_percent", "downstream_backoff_accepts_multiplier"];

    /// <summary>Where each known key lives, to say "belongs under 'sampling'" when a key sits at the wrong level.</summary>
    private static readonly (string Section, string[] Keys)[] Sections =
    [
        ("the top level", RootKeys), ("sampling", SamplingKeys), ("a module (modules[])", ModuleKeys),
        ("escalation", EscalationKeys), ("responses", ResponseKeys), ("responses.shed", ShedKeys),
        ("responses.compact_gc", CompactGcKeys), ("responses.snapshot", SnapshotKeys), ("responses.quiet_logs", QuietLogsKeys),
        ("responses.dump", DumpKeys), ("propagation", PropagationKeys), ("health", HealthKeys), ("leak_detection", LeakDetectionKeys),
        ("container", ContainerKeys),
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string? _filePath;
    private readonly ContractMarks _marks = new();

    private MemoryContractReader(string? filePath) => _filePath = filePath;

    /// <summary>Reads and validates contract YAML; <paramref name="filePath"/> only names the file in errors.</summary>
    public static MemoryContract Read(string yaml, string? filePath)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > ContractLimits.MaxBytes || (yaml.Length > ContractLimits.MaxBytes / 3 && Encoding.UTF8.GetByteCount(yaml) > ContractLimits.MaxBytes))
        {
            throw new MemoryContractException($"the contract is larger than {ContractLimits.MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes (1 MiB), the most accepted", null, null, null, filePath);
        }

        var root = ContractTreeBuilder.Build(yaml.StartsWith('\uFEFF') ? yaml[1..] : yaml, filePath);
        return new MemoryContractReader(filePath).ReadContract(root);
    }

    /// <summary>Reads and validates a contract file, refusing it before reading when it is over 1 MiB.</summary>
    public static MemoryContract ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return Read(ReadText(fullPath), fullPath);
    }

    /// <summary>
    /// Reads a contract file's text (at most 1 MiB, UTF-8) into a buffer the size of the file. The path must lead to a regular file (links
    /// are followed): a FIFO, device, socket or directory is refused before it is opened
    /// (<see cref="ContractFileKind"/>), and a stream that cannot seek once opened is refused too.
    /// </summary>
    internal static string ReadText(string fullPath)
    {
        try
        {
            ContractFileKind.EnsureRegularFile(fullPath);
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
            if (!stream.CanSeek)
            {
                throw ContractFileKind.NotRegular(fullPath, "a stream (a pipe, socket or device)");
            }

            // The length of what the path leads to, not of a symbolic link on the way.
            if (stream.Length > ContractLimits.MaxBytes)
            {
                throw TooLarge(fullPath, stream.Length);
            }

            // Sized by the file (one byte more, to see it grow), grown while it does, never past 1 MiB + 1:
            // a contract of a few kilobytes costs a few kilobytes, not a 1 MiB buffer on the large object heap
            // (and the gen 2 collection such buffers bring) at every reload.
            var buffer = new byte[stream.Length + 1];
            var length = 0;
            int read;
            while ((read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    if (buffer.Length > ContractLimits.MaxBytes)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, ContractLimits.MaxBytes + 1L));
                }
            }

            if (length > ContractLimits.MaxBytes)
            {
                throw TooLarge(fullPath, length);
            }

            var start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            return StrictUtf8.GetString(buffer, start, length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw new MemoryContractException("the contract file is not valid UTF-8 text", null, null, null, fullPath, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemoryContractException($"the contract file '{fullPath}' cannot be read: {e.Message}", null, null, null, fullPath, e);
        }
    }

    private static MemoryContractException TooLarge(string fullPath, long length) =>
        new($"the contract file is {length.ToString(CultureInfo.InvariantCulture)} bytes; the most accepted is {ContractLimits.MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes (1 MiB)", null, null, null, fullPath);

    private MemoryContract ReadContract(ContractNode? root)
    {
        if (root is null || root is ContractScalar { IsNull: true })
        {
            throw new MemoryContractException("the contract is empty; it needs at least a 'modules' list", "modules", 1, 1, _filePath);
        }

        var map = Mapping(root, null, RootKeys);
        var defaults = new MemoryContract();
        if (!map.ContainsKey("modules"))
        {
            throw Fail("the contract has no 'modules' list; at least one module is required", "modules", root.Mark);
        }

        var contract = new MemoryContract
        {
            Version = OptionalRef(map, null, "version", Text) ?? defaults.Version,
            Mode = Optional(map, null, "mode", Mode) ?? defaults.Mode,
            StrictEndpoints = Optional(map, null, "strict_endpoints", Bool) ?? defaults.StrictEndpoints,
            SamplingInterval = Sampling(map.Find("sampling"), "sampling") ?? defaults.SamplingInterval,
            Modules = Modules(map.Find("modules")!, "modules"),
            Escalation = map.Find("escalation") is { } escalation ? Escalation(escalation, "escalation") : defaults.Escalation,
            Responses = map.Find("responses") is { } responses ? Responses(responses, "responses") : defaults.Responses,
            Propagation = map.Find("propagation") is { } propagation ? Propagation(propagation, "propagation") : defaults.Propagation,
            Health = map.Find("health") is { } health ? Health(health, "health") : defaults.Health,
            LeakDetection = map.Find("leak_detection") is { } leak ? LeakDetection(leak, "leak_detection") : defaults.LeakDetection,
            Container = map.Find("container") is { } container ? Container(container, "container") : defaults.Container,
            Marks = _marks,
            SourcePath = _filePath,
        };

        MemoryContractValidator.Validate(contract);
        return contract;
    }

    private TimeSpan? Sampling(ContractNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        var map = Mapping(node, key, SamplingKeys);
        return Optional(map, key, "interval_ms", Int32) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
    }

    private ModuleContract[] Modules(ContractNode node, string key)
    {
        var list = Sequence(node, key);
        var modules = new ModuleContract[list.Items.Count];
        for (var i = 0; i < modules.Length; i++)
        {
            _marks.Set(Index(key, i), list.Items[i].Mark);
            modules[i] = Module(list.Items[i], Index(key, i));
        }

        return modules;
    }

    private ModuleContract Module(ContractNode node, string key)
    {
        var map = Mapping(node, key, ModuleKeys);
        if (map.FindKey("max_heap_mb") is not null && map.FindKey("max_heap_percent") is { } percentKey)
        {
            throw Fail("give either max_heap_mb or max_heap_percent, not both", Join(key, "max_heap_percent"), percentKey.Mark);
        }

        return new ModuleContract
        {
            Name = OptionalRef(map, key, "name", Text) ?? string.Empty,
            MaxHeapBytes = Optional(map, key, "max_heap_mb", MegabytesToBytes),
            MaxHeapPercent = Optional(map, key, "max_heap_percent", Number),
            AllocRateBytesPerSecond = Optional(map, key, "alloc_rate_mb_per_sec", (n, k) => Number(n, k) * BytesPerMegabyte),
            GcTriggerRatio = Optional(map, key, "gc_trigger_ratio", Number),
            MaxGcPause = Optional(map, key, "required_gc_pauses_ms", Pause),
            Core = Optional(map, key, "core", Bool) ?? false,
            Priority = Optional(map, key, "priority", Int32) ?? ModuleDefaults.Priority,
            Routes = OptionalRef(map, key, "routes", TextList) ?? [],
        };
    }

    private EscalationPolicy Escalation(ContractNode node, string key)
    {
        var map = Mapping(node, key, EscalationKeys);
        var defaults = new EscalationPolicy();
        return new EscalationPolicy
        {
            Heap = Ratios(map.Find("heap"), Join(key, "heap"), defaults.Heap),
            AllocRate = Ratios(map.Find("alloc_rate"), Join(key, "alloc_rate"), defaults.AllocRate),
            GcPause = Ratios(map.Find("gc_pause"), Join(key, "gc_pause"), defaults.GcPause),
            WorkingSet = Ratios(map.Find("working_set"), Join(key, "working_set"), defaults.WorkingSet),
            Consecutive = Counts(map.Find("consecutive"), Join(key, "consecutive"), defaults.Consecutive),
            RecoverySamples = Optional(map, key, "recovery_samples", Int32) ?? defaults.RecoverySamples,
        };
    }

    private LevelRatios Ratios(ContractNode? node, string key, LevelRatios defaults)
    {
        if (node is null)
        {
            return defaults;
        }

        var map = Mapping(node, key, LevelKeys);
        return new LevelRatios(
            Optional(map, key, "elevated", Number) ?? defaults.Elevated,
            Optional(map, key, "high", Number) ?? defaults.High,
            Optional(map, key, "critical", Number) ?? defaults.Critical);
    }

    private LevelCounts Counts(ContractNode? node, string key, LevelCounts defaults)
    {
        if (node is null)
        {
            return defaults;
        }

        var map = Mapping(node, key, LevelKeys);
        return new LevelCounts(
            Optional(map, key, "elevated", Int32) ?? defaults.Elevated,
            Optional(map, key, "high", Int32) ?? defaults.High,
            Optional(map, key, "critical", Int32) ?? defaults.Critical);
    }

    private ResponsePolicy Responses(ContractNode node, string key)
    {
        var map = Mapping(node, key, ResponseKeys);
        var defaults = new ResponsePolicy();
        return new ResponsePolicy
        {
            Elevated = OptionalRef(map, key, "elevated", TextList) ?? defaults.Elevated,
            High = OptionalRef(map, key, "high", TextList) ?? defaults.High,
            Critical = OptionalRef(map, key, "critical", TextList) ?? defaults.Critical,
            TrimFraction = Ratios(map.Find("trim_fraction"), Join(key, "trim_fraction"), defaults.TrimFraction),
            Shed = map.Find("shed") is { } shed ? Shed(shed, Join(key, "shed")) : defaults.Shed,
            CompactGc = map.Find("compact_gc") is { } compact ? CompactGc(compact, Join(key, "compact_gc")) : defaults.CompactGc,
            Snapshot = map.Find("snapshot") is { } snapshot ? Snapshot(snapshot, Join(key, "snapshot")) : defaults.Snapshot,
            QuietLogs = map.Find("quiet_logs") is { } quiet ? QuietLogs(quiet, Join(key, "quiet_logs")) : defaults.QuietLogs,
            Timeout = Optional(map, key, "timeout_seconds", Int32) is { } timeout ? TimeSpan.FromSeconds(timeout) : defaults.Timeout,
            Dump = map.Find("dump") is { } dump ? Dump(dump, Join(key, "dump")) : defaults.Dump,
        };
    }

    private ShedPolicy Shed(ContractNode node, string key)
    {
        var map = Mapping(node, key, ShedKeys);
        var defaults = new ShedPolicy();
        return new ShedPolicy
        {
            RetryAfterSeconds = Optional(map, key, "retry_after_seconds", Int32) ?? defaults.RetryAfterSeconds,
            Scaled = Optional(map, key, "scaled", Bool) ?? defaults.Scaled,
            ExemptPaths = OptionalRef(map, key, "exempt_paths", TextList) ?? defaults.ExemptPaths,
        };
    }

    private CompactGcPolicy CompactGc(ContractNode node, string key)
    {
        var map = Mapping(node, key, CompactGcKeys);
        return new CompactGcPolicy
        {
            MinInterval = Optional(map, key, "min_interval_seconds", Int32) is { } seconds ? TimeSpan.FromSeconds(seconds) : new CompactGcPolicy().MinInterval,
        };
    }

    private SnapshotPolicy Snapshot(ContractNode node, string key)
    {
        var map = Mapping(node, key, SnapshotKeys);
        var directory = map.Find("directory");
        return new SnapshotPolicy
        {
            Directory = directory is null or ContractScalar { IsNull: true } ? null : Text(directory, Join(key, "directory")),
            MinInterval = Optional(map, key, "min_interval_seconds", Int32) is { } seconds ? TimeSpan.FromSeconds(seconds) : new SnapshotPolicy().MinInterval,
        };
    }

    private DumpPolicy Dump(ContractNode node, string key)
    {
        var map = Mapping(node, key, DumpKeys);
        var directory = map.Find("directory");
        var defaults = new DumpPolicy();
        return new DumpPolicy
        {
            Directory = directory is null or ContractScalar { IsNull: true } ? null : Text(directory, Join(key, "directory")),
            MinInterval = Optional(map, key, "min_interval_seconds", Int32) is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.MinInterval,
            MaxFiles = Optional(map, key, "max_files", Int32) ?? defaults.MaxFiles,
        };
    }

    private QuietLogsPolicy QuietLogs(ContractNode node, string key)
    {
        var map = Mapping(node, key, QuietLogsKeys);
        var defaults = new QuietLogsPolicy();
        return new QuietLogsPolicy
        {
            Categories = OptionalRef(map, key, "categories", TextList) ?? defaults.Categories,
            Level = Optional(map, key, "level", LogLevelName) ?? defaults.Level,
        };
    }

    private PropagationPolicy Propagation(ContractNode node, string key)
    {
        var map = Mapping(node, key, PropagationKeys);
        var defaults = new PropagationPolicy();
        return new PropagationPolicy
        {
            Outbound = Optional(map, key, "outbound", Bool) ?? defaults.Outbound,
            OutboundHosts = OptionalRef(map, key, "outbound_hosts", TextList) ?? defaults.OutboundHosts,
            ResponseHeaders = Optional(map, key, "response_headers", Bool) ?? defaults.ResponseHeaders,
            Orca = Optional(map, key, "orca", Bool) ?? defaults.Orca,
            TrustedNetworks = OptionalRef(map, key, "trusted_networks", TextList) ?? defaults.TrustedNetworks,
            BypassCacheWritesAbovePercent = Optional(map, key, "bypass_cache_writes_above_percent", Int32) ?? defaults.BypassCacheWritesAbovePercent,
            DownstreamBackoffAbovePercent = Optional(map, key, "downstream_backoff_above_percent", Int32) ?? defaults.DownstreamBackoffAbovePercent,
            DownstreamBackoffAcceptsMultiplier = Optional(map, key, "downstream_backoff_accepts_multiplier", Number) ?? defaults.DownstreamBackoffAcceptsMultiplier,
        };
    }

    private HealthPolicy Health(ContractNode node, string key)
    {
        var map = Mapping(node, key, HealthKeys);
        var unreadyAt = map.Find("unready_at");
        return new HealthPolicy
        {
            UnreadyAt = unreadyAt is null ? new HealthPolicy().UnreadyAt : UnreadyAt(unreadyAt, Join(key, "unready_at")),
        };
    }

    private LeakDetectionPolicy LeakDetection(ContractNode node, string key)
    {
        var map = Mapping(node, key, LeakDetectionKeys);
        var defaults = new LeakDetectionPolicy();
        return new LeakDetectionPolicy
        {
            Enabled = Optional(map, key, "enabled", Bool) ?? defaults.Enabled,
            FullGcs = Optional(map, key, "full_gcs", Int32) ?? defaults.FullGcs,
            MinGrowthBytes = Optional(map, key, "min_growth_mb", MegabytesToBytes) ?? defaults.MinGrowthBytes,
        };
    }

    private ContainerPolicy Container(ContractNode node, string key)
    {
        var map = Mapping(node, key, ContainerKeys);
        var limit = map.Find("limit_mb");
        return new ContainerPolicy
        {
            Enabled = map.Find("enabled") is { } enabled ? ContainerEnabled(enabled, Join(key, "enabled")) : ContainerMode.Auto,
            LimitBytes = limit is null or ContractScalar { IsNull: true } ? null : MegabytesToBytes(limit, Join(key, "limit_mb")),
        };
    }

    /// <summary><c>auto</c>, <c>true</c> or <c>false</c>.</summary>
    private ContainerMode ContainerEnabled(ContractNode node, string key)
    {
        if (node is ContractScalar { IsNull: false } plain && string.Equals(plain.Value, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return ContainerMode.Auto;
        }

        if (node is not ContractScalar { Quoted: false, IsNull: false } scalar || scalar.Value.ToLowerInvariant() is not ("true" or "false"))
        {
            throw WrongType("auto, true or false", node, key);
        }

        return Bool(node, key) ? ContainerMode.Enabled : ContainerMode.Disabled;
    }

    // ---- typed values -------------------------------------------------------------------------

    private static T? Optional<T>(ContractMapping map, string? parent, string name, Func<ContractNode, string, T> read)
        where T : struct
    {
        var node = map.Find(name);
        return node is null ? null : read(node, Join(parent, name));
    }

    private static T? OptionalRef<T>(ContractMapping map, string? parent, string name, Func<ContractNode, string, T> read)
        where T : class
    {
        var node = map.Find(name);
        return node is null ? null : read(node, Join(parent, name));
    }

    private ContractMapping Mapping(ContractNode node, string? key, string[] known)
    {
        if (node is not ContractMapping map)
        {
            throw WrongType("a mapping of keys", node, key);
        }

        foreach (var (name, value) in map.Entries)
        {
            if (Array.IndexOf(known, name.Value) < 0)
            {
                throw Fail($"unknown key '{ContractScalar.Shorten(name.Value)}' in {(key is null ? "the top level" : $"'{key}'")}{UnknownKeyHint(name.Value, known)}", Join(key, name.Value), name.Mark);
            }

            _marks.Set(Join(key, name.Value), value.Mark);
        }

        return map;
    }

    private static string UnknownKeyHint(string given, string[] known)
    {
        if (given == "<<")
        {
            return " (YAML merge keys are not supported; write the keys out)";
        }

        var hint = KeySuggestion.Hint(given, known);
        if (hint.Length > 0)
        {
            return hint;
        }

        foreach (var (section, keys) in Sections)
        {
            if (!ReferenceEquals(keys, known) && Array.IndexOf(keys, given) >= 0)
            {
                return $" ('{given}' belongs in {section})";
            }
        }

        return $"; known keys here: {string.Join(", ", known)}";
    }

    private ContractSequence Sequence(ContractNode node, string key) =>
        node as ContractSequence ?? throw WrongType("a list", node, key);

    private string Text(ContractNode node, string key)
    {
        if (node is not ContractScalar scalar || scalar.IsNull)
        {
            throw WrongType("a string", node, key);
        }

        return scalar.Value;
    }

    private string[] TextList(ContractNode node, string key)
    {
        var list = Sequence(node, key);
        var values = new string[list.Items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var itemKey = Index(key, i);
            _marks.Set(itemKey, list.Items[i].Mark);
            values[i] = Text(list.Items[i], itemKey);
        }

        return values;
    }

    private bool Bool(ContractNode node, string key) => node is ContractScalar { Quoted: false } scalar
        ? scalar.Value switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw WrongType("true or false", node, key),
        }
        : throw WrongType("true or false", node, key);

    private double Number(ContractNode node, string key)
    {
        var scalar = PlainNumber(node, key, "a number");
        if (!DecimalNumber().IsMatch(scalar.Value))
        {
            throw WrongType("a number", node, key);
        }

        var value = double.Parse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? value : throw Fail($"the number {ContractScalar.Shorten(scalar.Value)} is too large", key, node.Mark);
    }

    private long Integer(ContractNode node, string key)
    {
        var scalar = PlainNumber(node, key, "a whole number");
        if (!WholeNumber().IsMatch(scalar.Value))
        {
            throw WrongType("a whole number", node, key);
        }

        return long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Fail($"the number {ContractScalar.Shorten(scalar.Value)} is too large", key, node.Mark);
    }

    private int Int32(ContractNode node, string key)
    {
        var value = Integer(node, key);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Fail($"the number {value.ToString(CultureInfo.InvariantCulture)} is too large", key, node.Mark);
    }

    private ContractScalar PlainNumber(ContractNode node, string key, string expected)
    {
        if (node is not ContractScalar { Quoted: false, IsNull: false } scalar)
        {
            throw WrongType(expected, node, key);
        }

        if (NonFinite().IsMatch(scalar.Value))
        {
            throw Fail($"{expected} must be finite, not {scalar.Value}", key, node.Mark);
        }

        return scalar;
    }

    private long MegabytesToBytes(ContractNode node, string key)
    {
        var bytes = Number(node, key) * BytesPerMegabyte;
        return Math.Abs(bytes) < 9.2e18
            ? (long)Math.Round(bytes)
            : throw Fail($"{ContractScalar.Shorten(((ContractScalar)node).Value)} MB is too large (at most {(long.MaxValue / (long)BytesPerMegabyte).ToString(CultureInfo.InvariantCulture)} MB)", key, node.Mark);
    }

    private TimeSpan Pause(ContractNode node, string key)
    {
        double milliseconds;
        if (node is ContractScalar { Quoted: false, IsNull: false } plain && DecimalNumber().IsMatch(plain.Value))
        {
            milliseconds = Number(node, key);
        }
        else if (node is ContractScalar { IsNull: false } scalar && PauseBound().Match(scalar.Value) is { Success: true } match)
        {
            milliseconds = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        else
        {
            throw Fail($"malformed pause {(node is ContractScalar s ? $"'{ContractScalar.Shorten(s.Value)}'" : node.Describe())}: expected milliseconds as a number (5) or as \"<N\" (\"<5\")", key, node.Mark);
        }

        return Math.Abs(milliseconds) <= 3_600_000
            ? TimeSpan.FromMilliseconds(milliseconds)
            : throw Fail($"a pause of {milliseconds.ToString(CultureInfo.InvariantCulture)} ms is too large (at most {MemoryContractValidator.MaxGcPause.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)", key, node.Mark);
    }

    private MemoryContractMode Mode(ContractNode node, string key)
    {
        var text = Text(node, key);
        return text.ToLowerInvariant() switch
        {
            "enforce" => MemoryContractMode.Enforce,
            "shadow" => MemoryContractMode.Shadow,
            _ => throw Fail($"unknown mode '{ContractScalar.Shorten(text)}'{KeySuggestion.Hint(text, ["enforce", "shadow"])}; expected enforce or shadow", key, node.Mark),
        };
    }

    /// <summary><c>critical</c>, <c>high</c> or <c>never</c> (<see langword="null"/>).</summary>
    private PressureLevel? UnreadyAt(ContractNode node, string key)
    {
        if (node is not ContractScalar { IsNull: false })
        {
            throw WrongType("critical, high or never", node, key);
        }

        var text = Text(node, key);
        return text.ToLowerInvariant() switch
        {
            "critical" => PressureLevel.Critical,
            "high" => PressureLevel.High,
            "never" => null,
            _ => throw Fail($"unknown level '{ContractScalar.Shorten(text)}'{KeySuggestion.Hint(text, UnreadyAtValues)}; expected critical, high or never", key, node.Mark),
        };
    }

    private LogLevel LogLevelName(ContractNode node, string key)
    {
        var text = Text(node, key);
        var names = Enum.GetNames<LogLevel>();
        foreach (var name in names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse<LogLevel>(name);
            }
        }

        throw Fail($"unknown log level '{ContractScalar.Shorten(text)}'{KeySuggestion.Hint(text, names.Select(n => n.ToLowerInvariant()))}; expected one of {string.Join(", ", names)}", key, node.Mark);
    }

    private MemoryContractException WrongType(string expected, ContractNode node, string? key)
    {
        var got = node is ContractScalar { Quoted: true } quoted && expected != "a string"
            ? $"the quoted string \"{ContractScalar.Shorten(quoted.Value)}\" (leave numbers and true/false unquoted)"
            : node.Describe();
        return Fail($"expected {expected}, got {got}", key, node.Mark);
    }

    private MemoryContractException Fail(string reason, string? key, ContractMark mark) =>
        new(reason, key, mark.Line, mark.Column, _filePath);

    private static string Join(string? parent, string key) => ContractTreeBuilder.Join(parent, key);

    private static string Index(string key, int index) => $"{key}[{index.ToString(CultureInfo.InvariantCulture)}]";

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^[-+]?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)\z", RegexOptions.CultureInvariant)]
    private static partial Regex NonFinite();

    [GeneratedRegex(@"^<\s*([0-9]{1,12}(\.[0-9]{1,9})?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex PauseBound();
}
