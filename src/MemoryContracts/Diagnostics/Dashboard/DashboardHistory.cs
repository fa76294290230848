using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>
/// Records the snapshots the guard publishes (through <see cref="IMemoryPressure.OnChange"/>) for the
/// dashboard: the last <see cref="Window"/> of them, at most one point per <see cref="MinSpacing"/>
/// (a point then holds the latest snapshot of its slot, except that a change of the overall level
/// always starts a new point), never more than <see cref="MaxPoints"/>; and every level change of the
/// window, at most <see cref="MaxLevelChanges"/>. One per service provider, created by the first
/// <c>MapMemoryContractsDashboard</c>. Recording allocates nothing and holds a lock only to copy a
/// struct; a read copies the rings under the same lock.
/// </summary>
internal sealed class DashboardHistory : IDisposable
{
    /// <summary>How much history is kept: 10 minutes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>The most points kept, whatever the rate of snapshots.</summary>
    public const int MaxPoints = 2400;

    /// <summary>The most level changes kept.</summary>
    public const int MaxLevelChanges = 512;

    /// <summary>The least time between two points of one overall level: <see cref="Window"/> / <see cref="MaxPoints"/> (250 ms).</summary>
    public static readonly TimeSpan MinSpacing = Window / MaxPoints;

    private static readonly ConditionalWeakTable<IServiceProvider, DashboardHistory> ByServices = new();

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly DashboardRing<DashboardPoint> _points = new(MaxPoints);
    private readonly DashboardRing<DashboardLevelChange> _changes = new(MaxLevelChanges);
    private readonly IDisposable _subscription;
    private MemoryPressureSnapshot? _last;

    public DashboardHistory(IMemoryPressure pressure, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(pressure);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _subscription = pressure.OnChange(Record);
        // A snapshot published before the subscription is the one in force: start from it.
        Record(pressure.Current);
    }

    /// <summary>Gets the history of <paramref name="services"/>' guard, created (and subscribed) on the first call.</summary>
    public static DashboardHistory For(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return ByServices.GetValue(services, static sp => new DashboardHistory(
            sp.GetRequiredService<IMemoryPressure>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>Records a published snapshot. The snapshot before the guard's first sample, and one already recorded, are ignored.</summary>
    public void Record(MemoryPressureSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (ReferenceEquals(snapshot, MemoryPressureSnapshot.Initial))
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (ReferenceEquals(snapshot, _last))
            {
                return;
            }

            RecordLevelChanges(now, _last, snapshot);
            if (_points.Count > 0 && _points[_points.Count - 1] is var newest
                && now - newest.At < MinSpacing && now >= newest.At
                && newest.Snapshot.Level == snapshot.Level)
            {
                // Same slot: keep the slot's time, so a fast stream of snapshots still advances.
                _points.ReplaceNewest(newest with { Snapshot = snapshot });
            }
            else
            {
                _points.Add(new DashboardPoint(now, snapshot));
            }

            _last = snapshot;
            Prune(now);
        }
    }

    /// <summary>
    /// Copies the window, oldest first. The first point may be the one in force when the window
    /// starts, stamped with the window's start, so a line can be drawn from there.
    /// </summary>
    /// <param name="since">When given, only the points stamped at or after it (the level changes are all returned).</param>
    public DashboardHistoryView Read(DateTimeOffset? since = null)
    {
        var now = _time.GetUtcNow();
        DashboardPoint[] points;
        DashboardLevelChange[] changes;
        lock (_gate)
        {
            Prune(now);
            points = _points.ToArray();
            changes = _changes.ToArray();
        }

        var start = now - Window;
        if (points.Length > 0 && points[0].At < start)
        {
            points[0] = points[0] with { At = start };
        }

        if (since is { } from)
        {
            points = Array.FindAll(points, p => p.At >= from);
        }

        return new DashboardHistoryView(now, points, changes);
    }

    public void Dispose() => _subscription.Dispose();

    private void RecordLevelChanges(DateTimeOffset now, MemoryPressureSnapshot? previous, MemoryPressureSnapshot next)
    {
        var before = previous?.Level ?? PressureLevel.Normal;
        if (before != next.Level)
        {
            _changes.Add(new DashboardLevelChange(now, null, before, next.Level));
        }

        foreach (var module in next.Modules)
        {
            var moduleBefore = previous?.FindModule(module.Module)?.Level ?? PressureLevel.Normal;
            if (moduleBefore != module.Level)
            {
                _changes.Add(new DashboardLevelChange(now, module.Module, moduleBefore, module.Level));
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        var start = now - Window;

        // Keep the newest point at or before the start: it is the value in force when the window opens.
        var expired = 0;
        while (expired + 1 < _points.Count && _points[expired + 1].At <= start)
        {
            expired++;
        }

        _points.RemoveOldest(expired);

        expired = 0;
        while (expired < _changes.Count && _changes[expired].At < start)
        {
            expired++;
        }

        _changes.RemoveOldest(expired);
    }
}
