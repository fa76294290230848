using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts.Tests.LoadReporting;

/// <summary>
/// A response feature that keeps its <c>OnCompleted</c> callbacks, as Kestrel does, and runs them when
/// the test says the response is complete (<see cref="HttpResponseFeature"/> drops them). Runs them
/// synchronously, as Kestrel does when they return completed tasks (and without an async state
/// machine, which a Debug build would allocate on every call).
/// </summary>
internal sealed class CompletingResponseFeature : HttpResponseFeature
{
    private readonly Stack<(Func<object, Task> Callback, object State)> _completed = new();

    public int Pending => _completed.Count;

    public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Push((callback, state));

    public void Complete()
    {
        while (_completed.TryPop(out var entry))
        {
            entry.Callback(entry.State).GetAwaiter().GetResult();
        }
    }
}
