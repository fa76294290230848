using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts;

/// <summary>
/// What the middleware counts for the ORCA load report (DESIGN §11): every request, and every error,
/// meaning a response with a 5xx status and every request the middleware sheds with 429. Both are
/// <see cref="StripedCounter"/>s, so counting takes no lock; the final status is read in an
/// <see cref="IHttpResponseFeature.OnCompleted"/> callback registered with a delegate made once and
/// the request's own context as its state, so counting allocates nothing (Kestrel keeps the
/// callback stack of a connection from one request to the next). A 500 that the server writes for an
/// exception the application did not handle is counted too: the callback runs after it.
/// </summary>
internal sealed class RequestTally
{
    private readonly StripedCounter _requests = new();
    private readonly StripedCounter _errors = new();
    private readonly Func<object, Task> _onCompleted;

    public RequestTally()
    {
        _onCompleted = OnCompleted;
    }

    /// <summary>Gets how many requests were counted since the process started.</summary>
    public long Requests => _requests.Total;

    /// <summary>Gets how many errors (5xx responses and shed requests) were counted since the process started.</summary>
    public long Errors => _errors.Total;

    /// <summary>Counts a request and asks to be told its final status.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountRequest(HttpContext context)
    {
        _requests.Increment();
        context.Response.OnCompleted(_onCompleted, context);
    }

    /// <summary>Counts a request the middleware shed (its 429 is not a 5xx, so it is counted here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountShed() => _errors.Increment();

    private Task OnCompleted(object state)
    {
        if (((HttpContext)state).Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            _errors.Increment();
        }

        return Task.CompletedTask;
    }
}
