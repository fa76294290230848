using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>shed_requests</c>: shedding follows from the published snapshot (its shed fraction, which the
/// middleware reads); this responder marks where shedding starts and stops in the logs.
/// </summary>
internal sealed class ShedRequestsResponder : IMemoryPressureResponder
{
    private readonly ILogger _logger;

    public ShedRequestsResponder(ILogger<ShedRequestsResponder> logger) => _logger = logger;

    public string Name => BuiltInResponders.ShedRequests;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        var now = change.ShouldAct(Name);
        var before = change.WasNamedForPreviousLevel(Name);
        if (now && !before)
        {
            ResponsesLog.SheddingStarted(_logger, change.Level);
        }
        else if (!now && before)
        {
            ResponsesLog.SheddingStopped(_logger, change.Level);
        }

        return ValueTask.CompletedTask;
    }
}
