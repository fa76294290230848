using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace MemoryContracts;

/// <summary>
/// The outbound handler of <c>IHttpClientFactory</c> clients. To hosts allowed by
/// <c>propagation.outbound_hosts</c> it sends <c>X-Memory-Usage</c>, <c>X-Memory-Capacity</c> and
/// <c>X-Memory-Contract</c> (the snapshot's cached strings), and sends each call through its
/// authority's downstream backoff (<see cref="DownstreamThrottle"/>, a Polly.Core strategy): the
/// answer is counted as accepted or as a memory rejection, and while most recent answers of that
/// authority are memory rejections, calls outside core requests fail with
/// <see cref="MemoryPressureRejectedException"/> in proportion. Nothing is sent to, or learnt from, any
/// other host; with <c>propagation.outbound: false</c> the handler passes requests through untouched.
/// When <see cref="PrimaryHandlerRedirects"/> took over the client's redirects, the handler follows
/// them itself and decides all this again for every hop, so headers never follow a redirect to a host
/// that would not get them and each response is credited to the authority that sent it. A call that
/// completes synchronously costs no allocation.
/// </summary>
internal sealed class MemoryContractHeadersHandler : DelegatingHandler
{
    /// <summary>
    /// The inner handler's task of the hop this thread is sending, set by the callback Polly runs inline,
    /// so a hop that completes at once returns that very task (nothing allocated). Only trusted when its
    /// result is the pipeline's: a nested send on the same thread can only make it fall back to a new task.
    /// </summary>
    [ThreadStatic]
    private static Task<HttpResponseMessage>? t_sent;

    private readonly MemoryPressureMonitor _monitor;
    private readonly PropagationPolicyProvider _policy;
    private readonly DownstreamThrottle _throttle;
    private HostDecision? _lastHost;
    private ThrottledDownstream? _lastDownstream;
    private int _maxRedirections;
    private bool _headersWithheld;

    public MemoryContractHeadersHandler(MemoryPressureMonitor monitor, PropagationPolicyProvider policy, DownstreamThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(throttle);
        _monitor = monitor;
        _policy = policy;
        _throttle = throttle;
    }

    /// <summary>Creates a handler from the application's services, with a clear error when <c>AddMemoryContracts</c> was not called.</summary>
    public static MemoryContractHeadersHandler Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<DownstreamThrottle>() is not { } throttle)
        {
            throw new InvalidOperationException(
                "AddMemoryContractHeaders() needs the MemoryContracts services: call services.AddMemoryContracts() when configuring services.");
        }

        return new MemoryContractHeadersHandler(
            services.GetRequiredService<MemoryPressureMonitor>(),
            services.GetRequiredService<PropagationPolicyProvider>(),
            throttle);
    }

    /// <summary>
    /// Sets how this client's redirects are followed (see <see cref="PrimaryHandlerRedirects"/>);
    /// called by <see cref="MemoryContractHeadersHandlerFilter"/> before the handler is first used.
    /// </summary>
    internal void Apply(RedirectTakeover takeover)
    {
        _maxRedirections = takeover.MaxRedirections;
        _headersWithheld = takeover.HeadersWithheldBecause is not null;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sending = StartHopAsync(request, removeOurs: false, out var headersSent, cancellationToken);
        if (_maxRedirections == 0 || (sending.IsCompletedSuccessfully && !HttpRedirect.IsRedirect(sending.Result.StatusCode)))
        {
            return sending;
        }

        return FollowRedirectsAsync(request, sending, headersSent, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = SendHop(request, removeOurs: false, out var headersSent, cancellationToken);
        for (var redirects = 1; redirects <= _maxRedirections && HttpRedirect.TryGetTarget(request.RequestUri, response, out var target); redirects++)
        {
            var status = response.StatusCode;
            response.Dispose();
            HttpRedirect.Prepare(request, status, target);
            response = SendHop(request, headersSent, out headersSent, cancellationToken);
        }

        return response;
    }

    /// <summary>
    /// Starts one hop: our headers if its host gets them (those of a previous hop removed otherwise),
    /// and, for such a host, through its authority's downstream backoff.
    /// </summary>
    private Task<HttpResponseMessage> StartHopAsync(HttpRequestMessage request, bool removeOurs, out bool headersSent, CancellationToken cancellationToken)
    {
        var policy = _policy.Current;
        headersSent = false;
        if (!Applies(request, policy, out var uri))
        {
            RemoveHeadersIf(removeOurs, request.Headers);
            return base.SendAsync(request, cancellationToken);
        }

        headersSent = SetHeaders(request.Headers, removeOurs);
        return Downstream(uri) is { } downstream
            ? SendThroughAsync(downstream, request, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    /// <summary>Awaits a hop that did not complete at once, or was a redirect, and follows its redirects (one state machine for all).</summary>
    private async Task<HttpResponseMessage> FollowRedirectsAsync(HttpRequestMessage request, Task<HttpResponseMessage> sending, bool headersSent, CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        for (var redirects = 1; redirects <= _maxRedirections && HttpRedirect.TryGetTarget(request.RequestUri, response, out var target); redirects++)
        {
            var status = response.StatusCode;
            response.Dispose();
            HttpRedirect.Prepare(request, status, target);
            response = await StartHopAsync(request, headersSent, out headersSent, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>The synchronous hop: headers and backoff as in <see cref="StartHopAsync"/>.</summary>
    private HttpResponseMessage SendHop(HttpRequestMessage request, bool removeOurs, out bool headersSent, CancellationToken cancellationToken)
    {
        var policy = _policy.Current;
        headersSent = false;
        if (!Applies(request, policy, out var uri))
        {
            RemoveHeadersIf(removeOurs, request.Headers);
            return base.Send(request, cancellationToken);
        }

        headersSent = SetHeaders(request.Headers, removeOurs);
        if (Downstream(uri) is not { } downstream)
        {
            return base.Send(request, cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return downstream.Pipeline.Execute(static (context, state) => state.Handler.SendInner(state.Request, context.CancellationToken), context, (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Sends a hop through its authority's pipeline. When everything completes at once, the inner
    /// handler's own task is returned, so nothing is allocated; a refused call returns a faulted task
    /// without touching the network.
    /// </summary>
    private Task<HttpResponseMessage> SendThroughAsync(ThrottledDownstream downstream, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        t_sent = null;
        var pending = downstream.Pipeline.ExecuteOutcomeAsync(SendCallback, context, (Handler: this, Request: request));
        var sent = t_sent;
        t_sent = null;
        if (!pending.IsCompletedSuccessfully)
        {
            return CompleteThroughAsync(pending, context);
        }

        var outcome = pending.Result;
        ResilienceContextPool.Shared.Return(context);
        if (outcome.Exception is { } exception)
        {
            // The inner task itself when it failed; a cancellation stays a cancellation (Polly answers a
            // token already cancelled without running the call); a refusal had no inner task.
            return sent is { IsCompleted: true, IsCompletedSuccessfully: false } ? sent
                : exception is OperationCanceledException { CancellationToken.IsCancellationRequested: true } canceled ? Task.FromCanceled<HttpResponseMessage>(canceled.CancellationToken)
                : Task.FromException<HttpResponseMessage>(exception);
        }

        return sent is { IsCompletedSuccessfully: true } && ReferenceEquals(sent.Result, outcome.Result) ? sent : Task.FromResult(outcome.Result!);
    }

    private static async Task<HttpResponseMessage> CompleteThroughAsync(ValueTask<Outcome<HttpResponseMessage>> pending, ResilienceContext context)
    {
        try
        {
            var outcome = await pending.ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static ValueTask<Outcome<HttpResponseMessage>> SendCallback(ResilienceContext context, (MemoryContractHeadersHandler Handler, HttpRequestMessage Request) state)
    {
        var sending = state.Handler.SendInnerAsync(state.Request, context.CancellationToken);
        t_sent = sending;
        return sending.IsCompletedSuccessfully ? Outcome.FromResultAsValueTask(sending.Result) : OutcomeOfAsync(sending);
    }

    private static async ValueTask<Outcome<HttpResponseMessage>> OutcomeOfAsync(Task<HttpResponseMessage> sending)
    {
        try
        {
            return Outcome.FromResult(await sending.ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            return Outcome.FromException<HttpResponseMessage>(exception);
        }
    }

    private HttpResponseMessage SendInner(HttpRequestMessage request, CancellationToken cancellationToken) => base.Send(request, cancellationToken);

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    /// <summary>The backoff of <paramref name="uri"/>'s authority; a client usually calls one, so the last one is remembered.</summary>
    private ThrottledDownstream? Downstream(Uri uri)
    {
        var last = Volatile.Read(ref _lastDownstream);
        if (last is not null && last.IsFor(uri))
        {
            return last;
        }

        var downstream = _throttle.For(uri);
        Volatile.Write(ref _lastDownstream, downstream);
        return downstream;
    }

    private bool Applies(HttpRequestMessage request, CompiledPropagationPolicy policy, out Uri uri)
    {
        uri = request.RequestUri!;
        return policy.Outbound && uri is not null && uri.IsAbsoluteUri && IsAllowedHost(uri, policy);
    }

    private bool IsAllowedHost(Uri uri, CompiledPropagationPolicy policy)
    {
        // Steady state talks to the same host again and again: remember the last decision.
        var host = uri.IdnHost;
        var last = Volatile.Read(ref _lastHost);
        if (last is not null && ReferenceEquals(last.Matcher, policy.OutboundHosts) && string.Equals(last.Host, host, StringComparison.OrdinalIgnoreCase))
        {
            return last.Allowed;
        }

        var allowed = policy.OutboundHosts.IsAllowed(host);
        Volatile.Write(ref _lastHost, new HostDecision(policy.OutboundHosts, host, allowed));
        return allowed;
    }

    /// <summary>Puts our headers on a hop to an allowed host; returns whether it now carries them.</summary>
    private bool SetHeaders(HttpRequestHeaders headers, bool removeOurs)
    {
        var snapshot = _monitor.Current;

        // Before the guard's first sample there is nothing true to tell; a client whose primary
        // handler follows redirects where we cannot see them tells nothing at all.
        if (_headersWithheld || ReferenceEquals(snapshot, MemoryPressureSnapshot.Initial))
        {
            RemoveHeadersIf(removeOurs, headers);
            return false;
        }

        // Ours replace any value already there, so a header copied from an inbound request is never relayed as ours.
        RemoveHeadersIf(headers.NonValidated.Count != 0, headers);
        headers.TryAddWithoutValidation(MemoryHeaderNames.Usage, snapshot.UsageHeaderValue);
        headers.TryAddWithoutValidation(MemoryHeaderNames.Capacity, snapshot.CapacityHeaderValue);
        headers.TryAddWithoutValidation(MemoryHeaderNames.Contract, snapshot.ContractVersion);
        return true;
    }

    private static void RemoveHeadersIf(bool condition, HttpRequestHeaders headers)
    {
        if (condition)
        {
            headers.Remove(MemoryHeaderNames.Usage);
            headers.Remove(MemoryHeaderNames.Capacity);
            headers.Remove(MemoryHeaderNames.Contract);
        }
    }

    /// <summary>The last host decided, with the matcher that decided it (a new contract means a new matcher).</summary>
    private sealed class HostDecision(OutboundHostMatcher matcher, string host, bool allowed)
    {
        public OutboundHostMatcher Matcher { get; } = matcher;

        public string Host { get; } = host;

        public bool Allowed { get; } = allowed;
    }
}
