using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>drain_connections</c> (not in the defaults): while the contract names it for the level in force,
/// in <c>enforce</c> mode, the middleware closes every connection a request arrives on once its
/// response is sent (<see cref="ConnectionDrain"/>). It follows from the published snapshot
/// (<see cref="MemoryPressureSnapshot.DrainsConnections"/>), so stepping down, a reload that no longer
/// names it and a switch to shadow end it at the same publish; this responder marks where draining
/// starts and stops in the logs.
/// </summary>
internal sealed class DrainConnectionsResponder : IMemoryPressureResponder
{
    private readonly ILogger _logger;

    public DrainConnectionsResponder(ILogger<DrainConnectionsResponder> logger) => _logger = logger;

    public string Name => BuiltInResponders.DrainConnections;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        var now = change.ShouldAct(Name);
        var before = change.WasNamedForPreviousLevel(Name);
        if (now && !before)
        {
            ResponsesLog.DrainingStarted(_logger, change.Level);
        }
        else if (!now && before)
        {
            ResponsesLog.DrainingStopped(_logger, change.Level);
        }

        return ValueTask.CompletedTask;
    }
}
