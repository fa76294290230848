using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The rules of a contract, the same for one read from YAML (errors name line and column through
/// <see cref="MemoryContract.Marks"/>) and one given in code (errors name the key only).
/// </summary>
internal static partial class MemoryContractValidator
{
    public const int MaxVersionLength = 64;
    public const double MaxAllocRateBytesPerSecond = 1024d * 1024 * 1024 * 1024;
    public const int MaxPercent = 1000;
    public const int MaxCount = 1000;

    public static readonly TimeSpan MinSamplingInterval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxSamplingInterval = TimeSpan.FromMilliseconds(60_000);
    public static readonly TimeSpan MaxGcPause = TimeSpan.FromMilliseconds(60_000);
    public static readonly TimeSpan MaxMinInterval = TimeSpan.FromDays(1);
    public const int MaxRetryAfterSeconds = 3600;
    public static readonly TimeSpan MaxResponderTimeout = TimeSpan.FromSeconds(300);
    public const int MinLeakFullGcs = 2;
    public const int MaxLeakFullGcs = 100;
    public const int MinDumpFiles = 1;
    public const int MaxDumpFiles = 100;
    public const double MinAcceptsMultiplier = 1;
    public const double MaxAcceptsMultiplier = 10;

    /// <summary>Checks every rule of DESIGN §2 that does not need the registered responders.</summary>
    /// <exception cref="MemoryContractException">A rule is broken.</exception>
    public static void Validate(MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var check = new Checker(contract);
        ValidateVersion(check, contract.Version);
        check.That(Enum.IsDefined(contract.Mode), "mode", $"unknown mode {(int)contract.Mode}; expected enforce or shadow");
        check.That(contract.SamplingInterval >= MinSamplingInterval && contract.SamplingInterval <= MaxSamplingInterval, "sampling.interval_ms",
            $"must be between {MinSamplingInterval.TotalMilliseconds} and {MaxSamplingInterval.TotalMilliseconds} ms, got {Ms(contract.SamplingInterval)}");
        ValidateModules(check, contract.Modules);
        ValidateEscalation(check, contract.Escalation);
        ValidateResponses(check, contract.Responses);
        ValidatePropagation(check, contract.Propagation);
        ValidateHealth(check, contract.Health);
        ValidateLeakDetection(check, contract.LeakDetection);
        ValidateContainer(check, contract.Container);
    }

    /// <summary>
    /// Checks that every responder named in <c>responses</c> is built in or among <paramref name="customResponderNames"/>
    /// (the <see cref="IMemoryPressureResponder.Name"/>s registered in DI). The guard calls this at start and on reload.
    /// </summary>
    /// <exception cref="MemoryContractException">The first unknown name, with its key, line and column.</exception>
    public static void EnsureRespondersKnown(MemoryContract contract, IReadOnlyCollection<string> customResponderNames)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(customResponderNames);
        foreach (var reference in contract.CustomResponders)
        {
            if (customResponderNames.Contains(reference.Name, StringComparer.Ordinal))
            {
                continue;
            }

            var known = BuiltInResponders.All.Concat(customResponderNames).ToArray();
            var custom = customResponderNames.Count == 0 ? "none" : string.Join(", ", customResponderNames);
            throw new MemoryContractException(
                $"unknown responder '{reference.Name}'{KeySuggestion.Hint(reference.Name, known)}; built in: {string.Join(", ", BuiltInResponders.All)}; registered IMemoryPressureResponders: {custom}",
                reference.Key, reference.Line, reference.Column, contract.SourcePath);
        }
    }

    internal static IReadOnlyList<ResponderReference> CollectCustomResponders(MemoryContract contract)
    {
        var found = new List<ResponderReference>();
        Collect("responses.elevated", contract.Responses?.Elevated);
        Collect("responses.high", contract.Responses?.High);
        Collect("responses.critical", contract.Responses?.Critical);
        return found;

        void Collect(string key, IReadOnlyList<string>? names)
        {
            for (var i = 0; names is not null && i < names.Count; i++)
            {
                if (names[i] is { } name && !BuiltInResponders.IsBuiltIn(name))
                {
                    var itemKey = Index(key, i);
                    var mark = contract.Marks?.Find(itemKey);
                    found.Add(new ResponderReference(name, itemKey, mark?.Line, mark?.Column));
                }
            }
        }
    }

    private static void ValidateVersion(Checker check, string? version)
    {
        check.That(!string.IsNullOrWhiteSpace(version), "version", "must not be empty or only whitespace (it is sent as the X-Memory-Contract header)");
        check.That(version!.Length <= MaxVersionLength, "version", $"must be at most {MaxVersionLength} characters, got {version.Length}");
        check.That(version.All(c => c is >= ' ' and <= '~') && version.Trim().Length == version.Length, "version",
            "must be printable ASCII without leading or trailing spaces (it is sent as the X-Memory-Contract header; control characters such as CR and LF are refused)");
    }

    private static void ValidateModules(Checker check, IReadOnlyList<ModuleContract>? modules)
    {
        check.That(modules is { Count: > 0 }, "modules", "the contract defines no modules; at least one is required");
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var routes = new Dictionary<string, (string Module, string Key)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < modules!.Count; i++)
        {
            var key = Index("modules", i);
            var module = modules[i];
            check.That(module is not null, key, "a module is missing (null)");
            check.That(!string.IsNullOrEmpty(module!.Name), $"{key}.name", "every module needs a 'name'");
            check.That(ModuleName().IsMatch(module.Name), $"{key}.name",
                $"module name '{Shorten(module.Name)}' must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
            if (names.TryGetValue(module.Name, out var first))
            {
                check.Fail($"{key}.name", $"the module name '{module.Name}' is already used by modules[{first}]{check.LineOf(Index("modules", first) + ".name")}");
            }

            names[module.Name] = i;
            check.That(module.MaxHeapBytes is null || module.MaxHeapPercent is null, $"{key}.max_heap_percent", "give either max_heap_mb or max_heap_percent, not both");
            check.That(module.MaxHeapBytes is null or > 0, $"{key}.max_heap_mb", "the heap budget must be greater than 0");
            check.That(module.MaxHeapPercent is null || (module.MaxHeapPercent > 0 && module.MaxHeapPercent <= 100), $"{key}.max_heap_percent",
                $"must be greater than 0 and at most 100, got {Num(module.MaxHeapPercent)}");
            check.That(module.AllocRateBytesPerSecond is null || (module.AllocRateBytesPerSecond > 0 && module.AllocRateBytesPerSecond <= MaxAllocRateBytesPerSecond), $"{key}.alloc_rate_mb_per_sec",
                "the allocation-rate budget must be greater than 0 and at most 1048576 MB/s");
            check.That(module.GcTriggerRatio is null || (module.GcTriggerRatio > 0 && module.GcTriggerRatio <= 1), $"{key}.gc_trigger_ratio",
                $"must be in (0, 1], got {Num(module.GcTriggerRatio)}");
            check.That(module.MaxGcPause is null || (module.MaxGcPause > TimeSpan.Zero && module.MaxGcPause <= MaxGcPause), $"{key}.required_gc_pauses_ms",
                $"the pause budget must be greater than 0 and at most {MaxGcPause.TotalMilliseconds} ms, got {(module.MaxGcPause is { } pause ? Ms(pause) : string.Empty)}");
            check.That(module.Routes is not null, $"{key}.routes", "must be a list (empty for none)");
            for (var r = 0; r < module.Routes!.Count; r++)
            {
                var routeKey = Index($"{key}.routes", r);
                var route = module.Routes[r];
                ValidatePath(check, routeKey, route, "route");
                var normalized = route.Length > 1 ? route.TrimEnd('/') : route;
                if (routes.TryGetValue(normalized, out var owner) && !string.Equals(owner.Module, module.Name, StringComparison.Ordinal))
                {
                    check.Fail(routeKey, $"the route '{route}' is already claimed by module '{owner.Module}' ({owner.Key}{check.LineOf(owner.Key)}); a route belongs to one module");
                }

                routes.TryAdd(normalized, (module.Name, routeKey));
            }
        }
    }

    private static void ValidatePath(Checker check, string key, string? path, string what)
    {
        check.That(!string.IsNullOrEmpty(path) && path[0] == '/', key, $"{what} '{Shorten(path ?? string.Empty)}' must start with '/'");
        check.That(path!.All(c => c > ' ' && c != '?' && c != '#' && c != 0x7F), key, $"{what} '{Shorten(path!)}' must be a path prefix without spaces, control characters, '?' or '#'");
    }

    private static void ValidateEscalation(Checker check, EscalationPolicy? escalation)
    {
        check.That(escalation is not null, "escalation", "must not be null");
        ValidateIncreasing(check, "escalation.heap", escalation!.Heap);
        ValidateIncreasing(check, "escalation.alloc_rate", escalation.AllocRate);
        ValidateIncreasing(check, "escalation.gc_pause", escalation.GcPause);
        ValidateIncreasing(check, "escalation.working_set", escalation.WorkingSet);
        check.That(escalation.Consecutive is not null, "escalation.consecutive", "must not be null");
        foreach (var level in new[] { PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical })
        {
            var count = escalation.Consecutive!.For(level);
            check.That(count is >= 1 and <= MaxCount, $"escalation.consecutive.{LevelKey(level)}", $"must be a whole number from 1 to {MaxCount}, got {count}");
        }

        check.That(escalation.RecoverySamples is >= 1 and <= MaxCount, "escalation.recovery_samples", $"must be a whole number from 1 to {MaxCount}, got {escalation.RecoverySamples}");
    }

    private static void ValidateContainer(Checker check, ContainerPolicy? container)
    {
        check.That(container is not null, "container", "must not be null");
        check.That(Enum.IsDefined(container!.Enabled), "container.enabled", $"unknown value {(int)container.Enabled}; expected auto, true or false");
        check.That(container.LimitBytes is null or > 0, "container.limit_mb", "the container limit must be greater than 0 (or null to use the cgroup's)");
    }

    private static void ValidateIncreasing(Checker check, string key, LevelRatios? ratios)
    {
        check.That(ratios is not null, key, "must not be null");
        foreach (var level in new[] { PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical })
        {
            var value = ratios!.For(level);
            check.That(double.IsFinite(value) && value > 0 && value <= 100, $"{key}.{LevelKey(level)}", $"must be a ratio greater than 0 (and at most 100), got {Num(value)}");
        }

        var order = $"ratios must increase strictly: elevated ({Num(ratios!.Elevated)}) < high ({Num(ratios.High)}) < critical ({Num(ratios.Critical)})";
        check.That(ratios.Elevated < ratios.High, $"{key}.high", order);
        check.That(ratios.High < ratios.Critical, $"{key}.critical", order);
    }

    private static void ValidateResponses(Checker check, ResponsePolicy? responses)
    {
        check.That(responses is not null, "responses", "must not be null");
        foreach (var level in new[] { PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical })
        {
            var key = $"responses.{LevelKey(level)}";
            var names = responses!.For(level);
            check.That(names is not null, key, "must be a list of responder names (empty for none)");
            for (var i = 0; i < names.Count; i++)
            {
                check.That(names[i] is not null && ResponderName().IsMatch(names[i]), Index(key, i),
                    $"responder name '{Shorten(names[i] ?? string.Empty)}' must be 1 to 64 characters of a-z, 0-9, '_', '.' or '-' (built in: {string.Join(", ", BuiltInResponders.All)})");
            }
        }

        check.That(responses!.TrimFraction is not null, "responses.trim_fraction", "must not be null");
        foreach (var level in new[] { PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical })
        {
            var value = responses.TrimFraction!.For(level);
            check.That(value > 0 && value <= 1, $"responses.trim_fraction.{LevelKey(level)}", $"must be a fraction in (0, 1], got {Num(value)}");
        }

        check.That(responses.Shed is not null, "responses.shed", "must not be null");
        check.That(responses.Shed!.RetryAfterSeconds is >= 1 and <= MaxRetryAfterSeconds, "responses.shed.retry_after_seconds",
            $"must be from 1 to {MaxRetryAfterSeconds} seconds, got {responses.Shed.RetryAfterSeconds}");
        check.That(responses.Shed.ExemptPaths is not null, "responses.shed.exempt_paths", "must be a list (empty for none)");
        for (var i = 0; i < responses.Shed.ExemptPaths!.Count; i++)
        {
            ValidatePath(check, Index("responses.shed.exempt_paths", i), responses.Shed.ExemptPaths[i], "exempt path");
        }

        check.That(responses.Timeout >= TimeSpan.FromSeconds(1) && responses.Timeout <= MaxResponderTimeout, "responses.timeout_seconds",
            $"must be from 1 to {MaxResponderTimeout.TotalSeconds} seconds, got {responses.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        check.That(responses.CompactGc is not null, "responses.compact_gc", "must not be null");
        ValidateInterval(check, "responses.compact_gc.min_interval_seconds", responses.CompactGc!.MinInterval);
        check.That(responses.Snapshot is not null, "responses.snapshot", "must not be null");
        ValidateInterval(check, "responses.snapshot.min_interval_seconds", responses.Snapshot!.MinInterval);
        if (responses.Snapshot.Directory is { } directory)
        {
            check.That(directory.Trim().Length > 0 && directory.IndexOfAny(Path.GetInvalidPathChars()) < 0 && !directory.Contains('\0', StringComparison.Ordinal),
                "responses.snapshot.directory", "must be a directory path (or null for the temporary directory)");
        }

        check.That(responses.Dump is not null, "responses.dump", "must not be null");
        ValidateInterval(check, "responses.dump.min_interval_seconds", responses.Dump!.MinInterval);
        check.That(responses.Dump.MaxFiles is >= MinDumpFiles and <= MaxDumpFiles, "responses.dump.max_files",
            $"must be a whole number from {MinDumpFiles} to {MaxDumpFiles}, got {responses.Dump.MaxFiles}");
        if (responses.Dump.Directory is { } dumpDirectory)
        {
            check.That(dumpDirectory.Trim().Length > 0 && dumpDirectory.IndexOfAny(Path.GetInvalidPathChars()) < 0 && !dumpDirectory.Contains('\0', StringComparison.Ordinal),
                "responses.dump.directory", "must be a directory path (or null for a private directory under the temporary directory)");
        }

        check.That(responses.QuietLogs is not null, "responses.quiet_logs", "must not be null");
        check.That(responses.QuietLogs!.Categories is not null, "responses.quiet_logs.categories", "must be a list (empty for none)");
        for (var i = 0; i < responses.QuietLogs.Categories!.Count; i++)
        {
            check.That(!string.IsNullOrWhiteSpace(responses.QuietLogs.Categories[i]), Index("responses.quiet_logs.categories", i), "a log category must not be empty");
        }

        check.That(Enum.IsDefined(responses.QuietLogs.Level), "responses.quiet_logs.level", $"unknown log level {(int)responses.QuietLogs.Level}; expected one of {string.Join(", ", Enum.GetNames<LogLevel>())}");
    }

    private static void ValidateInterval(Checker check, string key, TimeSpan interval) =>
        check.That(interval >= TimeSpan.FromSeconds(1) && interval <= MaxMinInterval, key,
            $"must be from 1 to {MaxMinInterval.TotalSeconds} seconds, got {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");

    private static void ValidatePropagation(Checker check, PropagationPolicy? propagation)
    {
        check.That(propagation is not null, "propagation", "must not be null");
        check.That(propagation!.OutboundHosts is not null, "propagation.outbound_hosts", "must be a list (empty for none)");
        for (var i = 0; i < propagation.OutboundHosts!.Count; i++)
        {
            var pattern = propagation.OutboundHosts[i];
            check.That(HostPattern.TryParse(pattern, out _, out _, out var reason), Index("propagation.outbound_hosts", i), reason);
        }

        check.That(propagation.TrustedNetworks is not null, "propagation.trusted_networks", "must be a list (empty for none)");
        for (var i = 0; i < propagation.TrustedNetworks!.Count; i++)
        {
            var cidr = propagation.TrustedNetworks[i];
            check.That(CidrNotation.TryParse(cidr, out _, out var reason), Index("propagation.trusted_networks", i), reason);
        }

        check.That(propagation.BypassCacheWritesAbovePercent is > 0 and <= MaxPercent, "propagation.bypass_cache_writes_above_percent",
            $"must be a percent greater than 0 (and at most {MaxPercent}), got {propagation.BypassCacheWritesAbovePercent}");
        check.That(propagation.DownstreamBackoffAbovePercent is > 0 and <= MaxPercent, "propagation.downstream_backoff_above_percent",
            $"must be a percent greater than 0 (and at most {MaxPercent}), got {propagation.DownstreamBackoffAbovePercent}");
        check.That(propagation.DownstreamBackoffAcceptsMultiplier is >= MinAcceptsMultiplier and <= MaxAcceptsMultiplier, "propagation.downstream_backoff_accepts_multiplier",
            $"must be a number from {MinAcceptsMultiplier} to {MaxAcceptsMultiplier} (K of adaptive throttling: 2 refuses calls locally once more than half of the recent ones were memory rejections), got {Num(propagation.DownstreamBackoffAcceptsMultiplier)}");
    }

    private static void ValidateHealth(Checker check, HealthPolicy? health)
    {
        check.That(health is not null, "health", "must not be null");
        check.That(health!.UnreadyAt is null or PressureLevel.High or PressureLevel.Critical, "health.unready_at",
            $"must be critical, high or never (null), got {health.UnreadyAt}");
    }

    private static void ValidateLeakDetection(Checker check, LeakDetectionPolicy? leak)
    {
        check.That(leak is not null, "leak_detection", "must not be null");
        check.That(leak!.FullGcs is >= MinLeakFullGcs and <= MaxLeakFullGcs, "leak_detection.full_gcs",
            $"must be a whole number from {MinLeakFullGcs} to {MaxLeakFullGcs} (growth is judged between full collections), got {leak.FullGcs}");
        check.That(leak.MinGrowthBytes > 0, "leak_detection.min_growth_mb",
            $"must be greater than 0 MB, got {Num(leak.MinGrowthBytes / (1024d * 1024))}");
    }

    private static string LevelKey(PressureLevel level) => level switch
    {
        PressureLevel.Elevated => "elevated",
        PressureLevel.High => "high",
        _ => "critical",
    };

    private static string Index(string key, int index) => $"{key}[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static string Num(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms";

    private static string Shorten(string text) => ContractScalar.Shorten(text);

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleName();

    [GeneratedRegex(@"^[a-z0-9_.-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResponderName();

    /// <summary>Throws the first broken rule as a <see cref="MemoryContractException"/> with the key's line and column when known.</summary>
    private sealed class Checker(MemoryContract contract)
    {
        public void That([DoesNotReturnIf(false)] bool condition, string key, string reason)
        {
            if (!condition)
            {
                Fail(key, reason);
            }
        }

        [DoesNotReturn]
        public void Fail(string key, string reason)
        {
            var mark = contract.Marks?.Find(key);
            throw new MemoryContractException(reason, key, mark?.Line, mark?.Column, contract.SourcePath);
        }

        /// <summary>" (line N)" for a key the YAML has, else nothing.</summary>
        public string LineOf(string key) =>
            contract.Marks?.Find(key) is { } mark ? $", line {mark.Line.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
    }
}
