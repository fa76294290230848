using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// A response feature that keeps <c>OnCompleted</c> callbacks in a stack it reuses from one request to
/// the next and runs them when <see cref="Complete"/> is called, as Kestrel's <c>HttpProtocol</c> does
/// (its stacks are cleared, not dropped, between the requests of a connection).
/// <see cref="HttpResponseFeature"/>, which <see cref="Microsoft.AspNetCore.Http.DefaultHttpContext"/>
/// uses, drops them, which would hide what running them costs.
/// </summary>
internal sealed class ReusedCallbackResponseFeature : HttpResponseFeature
{
    private readonly Stack<KeyValuePair<Func<object, Task>, object>> _completed = new();

    public override void OnCompleted(Func<object, Task> callback, object state) =>
        _completed.Push(new KeyValuePair<Func<object, Task>, object>(callback, state));

    /// <summary>Runs the callbacks, newest first, the way Kestrel does when each returns a completed task.</summary>
    public void Complete()
    {
        while (_completed.TryPop(out var entry))
        {
            entry.Key(entry.Value).GetAwaiter().GetResult();
        }
    }
}
