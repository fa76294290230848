using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The listeners registered through <see cref="IMemoryPressure.OnChange"/>: a copy-on-write array, so
/// notifying never locks and a listener may add or remove listeners while it runs.
/// </summary>
internal sealed class SnapshotListeners
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Registration[] _registrations = [];

    public SnapshotListeners(ILogger logger)
    {
        _logger = logger;
    }

    public int Count => Volatile.Read(ref _registrations).Length;

    public IDisposable Add(Action<MemoryPressureSnapshot> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var registration = new Registration(this, listener);
        lock (_gate)
        {
            _registrations = [.. _registrations, registration];
        }

        return registration;
    }

    /// <summary>Calls every listener with <paramref name="snapshot"/>; one that throws is logged and the rest still run.</summary>
    public void Notify(MemoryPressureSnapshot snapshot)
    {
        var registrations = Volatile.Read(ref _registrations);
        foreach (var registration in registrations)
        {
            try
            {
                registration.Listener(snapshot);
            }
            catch (Exception exception)
            {
                GuardLog.ListenerFailed(_logger, exception);
            }
        }
    }

    private void Remove(Registration registration)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_registrations, registration);
            if (index < 0)
            {
                return;
            }

            var next = new Registration[_registrations.Length - 1];
            Array.Copy(_registrations, 0, next, 0, index);
            Array.Copy(_registrations, index + 1, next, index, next.Length - index);
            _registrations = next;
        }
    }

    private sealed class Registration : IDisposable
    {
        private SnapshotListeners? _owner;

        public Registration(SnapshotListeners owner, Action<MemoryPressureSnapshot> listener)
        {
            _owner = owner;
            Listener = listener;
        }

        public Action<MemoryPressureSnapshot> Listener { get; }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Remove(this);
    }
}
