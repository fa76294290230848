using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts;

/// <summary>
/// What the middleware counts for the ORCA load report (DESIGN §11): every request, and every error,
/// meaning a response with a 5xx status and every request the middleware sheds with 429.
/// </summary>
/// <remarks>
/// <para>
/// Each thread counts into a slot of its own (<see cref="ThreadTallySlot"/>, found through a
/// thread-static field), so a count is a load and a store on a cache line no other thread writes: no
/// lock, no atomic instruction, no allocation. The totals add the slots up
/// (<see cref="ThreadTallySlots.Sum"/>), off the request path.
/// </para>
/// <para>
/// The status is read where it is known without waiting: when the rest of the pipeline has completed
/// by the time it returns to the middleware (<see cref="CountOutcome"/>), its status is final for the
/// middleware and is read there. Otherwise (the request is still running, failed, or threw) the status
/// is read in an <see cref="IHttpResponseFeature.OnCompleted"/> callback, registered with a delegate
/// made once and the request's own context as its state, so that costs no allocation either (Kestrel
/// keeps the callback stack of a connection from one request to the next). A 500 that the server
/// writes for an exception the application did not handle is counted: the callback runs after it.
/// </para>
/// </remarks>
internal sealed class RequestTally
{
    [ThreadStatic]
    private static ThreadTallySlot? t_slot;

    private readonly ThreadTallySlots _slots = new();
    private readonly Func<object, Task> _onCompleted;

    public RequestTally()
    {
        _onCompleted = OnCompleted;
    }

    /// <summary>Gets how many requests were counted since the process started.</summary>
    public long Requests => _slots.Sum().Requests;

    /// <summary>Gets how many errors (5xx responses and shed requests) were counted since the process started.</summary>
    public long Errors => _slots.Sum().Errors;

    /// <summary>Gets the totals of both counts, read together.</summary>
    public (long Requests, long Errors) Totals => _slots.Sum();

    /// <summary>Gets the registry of the threads' slots (tests read how many it holds).</summary>
    public ThreadTallySlots Slots => _slots;

    /// <summary>Counts a request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountRequest()
    {
        ref var requests = ref Slot().Counts.Requests;
        Volatile.Write(ref requests, requests + 1);
    }

    /// <summary>Counts a request the middleware shed (its 429 is not a 5xx, so it is counted here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountShed() => CountError();

    /// <summary>
    /// Counts the error, if any, of a request whose rest of the pipeline returned <paramref name="next"/>:
    /// at once when it has completed, else when the response completes. Returns <paramref name="next"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Task CountOutcome(HttpContext context, Task next)
    {
        if (next.IsCompletedSuccessfully)
        {
            CountIfServerError(context);
        }
        else
        {
            CountWhenCompleted(context);
        }

        return next;
    }

    /// <summary>
    /// Counts the error, if any, of the request when its response completes: for a request still
    /// running, failed, or whose pipeline threw (the server has yet to write its 500).
    /// </summary>
    public void CountWhenCompleted(HttpContext context) => context.Response.OnCompleted(_onCompleted, context);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountError()
    {
        ref var errors = ref Slot().Counts.Errors;
        Volatile.Write(ref errors, errors + 1);
    }

    /// <summary>The calling thread's slot: the cached one when it is this tally's, else taken from the registry (once per thread).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ThreadTallySlot Slot()
    {
        var slot = t_slot;
        return slot is not null && ReferenceEquals(slot.Owner, _slots) ? slot : SlotFromRegistry();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ThreadTallySlot SlotFromRegistry() => t_slot = _slots.ForCurrentThread();

    private Task OnCompleted(object state)
    {
        CountIfServerError((HttpContext)state);
        return Task.CompletedTask;
    }

    /// <summary>Counts an error when the response's status is a 5xx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountIfServerError(HttpContext context)
    {
        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            CountError();
        }
    }
}
