namespace MemoryContracts.Tests.Browser;

/// <summary>
/// A real leak owned by a module: a background loop allocates and holds managed arrays, counted as
/// the module's heap, until the guard reaches <see cref="PressureLevel.Elevated"/> on its own, or a
/// bound of size or time is hit. Nothing is ever trimmed.
/// </summary>
internal sealed class LeakingTrimmable : IMemoryTrimmable, IDisposable
{
    private const int ChunkBytes = 1024 * 1024;

    private readonly List<byte[]> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private long _heldBytes;
    private Task _loop = Task.CompletedTask;

    public string Name => "leaking-report-cache";

    public long EstimatedBytes => Interlocked.Read(ref _heldBytes);

    public long Trim(double fraction) => 0;

    /// <summary>Starts leaking <see cref="ChunkBytes"/> every <paramref name="every"/>, at most <paramref name="maxBytes"/> and for at most <paramref name="maxTime"/>.</summary>
    public void Start(IMemoryPressure pressure, long maxBytes, TimeSpan every, TimeSpan maxTime) =>
        _loop = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow + maxTime;
            while (!_stop.IsCancellationRequested && DateTime.UtcNow < deadline
                && EstimatedBytes + ChunkBytes <= maxBytes && pressure.Current.Level < PressureLevel.Elevated)
            {
                var chunk = new byte[ChunkBytes];
                Random.Shared.NextBytes(chunk.AsSpan(0, 4096));
                lock (_held)
                {
                    _held.Add(chunk);
                }

                Interlocked.Add(ref _heldBytes, ChunkBytes);
                await Task.Delay(every, _stop.Token).ConfigureAwait(false);
            }
        });

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The delay was cancelled.
        }

        lock (_held)
        {
            _held.Clear();
        }

        _stop.Dispose();
    }
}
