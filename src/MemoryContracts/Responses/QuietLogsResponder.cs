using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary><c>quiet_logs</c>: raises the minimum level of the listed categories while the level holds.</summary>
internal sealed class QuietLogsResponder : IMemoryPressureResponder
{
    private readonly QuietLogsSwitch _switch;
    private readonly ILogger _logger;

    public QuietLogsResponder(QuietLogsSwitch quietLogs, ILogger<QuietLogsResponder> logger)
    {
        _switch = quietLogs;
        _logger = logger;
    }

    public string Name => BuiltInResponders.QuietLogs;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        var policy = change.Contract.Responses.QuietLogs;
        if (change.ShouldAct(Name) && policy.Categories.Count > 0)
        {
            if (_switch.Quiet(policy.Categories, policy.Level))
            {
                ResponsesLog.LogsQuieted(_logger, string.Join(", ", policy.Categories), policy.Level);
            }
        }
        else if (_switch.Restore())
        {
            ResponsesLog.LogsRestored(_logger);
        }

        return ValueTask.CompletedTask;
    }
}
