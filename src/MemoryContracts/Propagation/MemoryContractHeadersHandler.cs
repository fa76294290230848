using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The outbound handler of <c>IHttpClientFactory</c> clients. To hosts allowed by
/// <c>propagation.outbound_hosts</c> it sends <c>X-Memory-Usage</c>, <c>X-Memory-Capacity</c> and
/// <c>X-Memory-Contract</c> (the snapshot's cached strings), reads each response's
/// <c>X-Memory-Usage</c>, and isolates a downstream that reports pressure (see
/// <see cref="DownstreamBackoff"/>): calls to it then fail fast with Polly's
/// <c>IsolatedCircuitException</c> until its window ends. Nothing is sent to, or learnt from, any
/// other host; with <c>propagation.outbound: false</c> the handler passes requests through untouched.
/// When <see cref="PrimaryHandlerRedirects"/> took over the client's redirects, the handler follows
/// them itself and decides all this again for every hop, so headers never follow a redirect to a host
/// that would not get them and each response is credited to the authority that sent it.
/// </summary>
internal sealed class MemoryContractHeadersHandler : DelegatingHandler
{
    private const string DownstreamOrigin = "downstream";

    private readonly MemoryPressureMonitor _monitor;
    private readonly PropagationPolicyProvider _policy;
    private readonly DownstreamBackoff _backoff;
    private readonly MemoryContractsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private HostDecision? _lastHost;
    private int _maxRedirections;
    private bool _headersWithheld;

    public MemoryContractHeadersHandler(
        MemoryPressureMonitor monitor,
        PropagationPolicyProvider policy,
        DownstreamBackoff backoff,
        MemoryContractsMetrics metrics,
        TimeProvider time,
        ILogger<MemoryContractHeadersHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(backoff);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _monitor = monitor;
        _policy = policy;
        _backoff = backoff;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Creates a handler from the application's services, with a clear error when <c>AddMemoryContracts</c> was not called.</summary>
    public static MemoryContractHeadersHandler Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<DownstreamBackoff>() is not { } backoff)
        {
            throw new InvalidOperationException(
                "AddMemoryContractHeaders() needs the MemoryContracts services: call services.AddMemoryContracts() when configuring services.");
        }

        return new MemoryContractHeadersHandler(
            services.GetRequiredService<MemoryPressureMonitor>(),
            services.GetRequiredService<PropagationPolicyProvider>(),
            backoff,
            services.GetRequiredService<MemoryContractsMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<MemoryContractHeadersHandler>>());
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
        var sending = StartHopAsync(request, removeOurs: false, out var learnFrom, out var policy, out var headersSent, cancellationToken);
        if (sending.IsCompletedSuccessfully)
        {
            var response = sending.Result;
            if (learnFrom is not null)
            {
                Observe(learnFrom, response, policy);
            }

            if (_maxRedirections == 0 || !HttpRedirect.IsRedirect(response.StatusCode))
            {
                return sending;
            }

            learnFrom = null;
        }
        else if (learnFrom is null && _maxRedirections == 0)
        {
            return sending;
        }

        return CompleteAsync(request, sending, learnFrom, policy, headersSent, cancellationToken);
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
    /// failing fast if its authority is isolated. <paramref name="learnFrom"/> is the URI whose
    /// response is to be observed, or <see langword="null"/> for a host we neither tell nor listen to.
    /// </summary>
    private Task<HttpResponseMessage> StartHopAsync(
        HttpRequestMessage request, bool removeOurs, out Uri? learnFrom, out CompiledPropagationPolicy policy, out bool headersSent, CancellationToken cancellationToken)
    {
        policy = _policy.Current;
        learnFrom = null;
        headersSent = false;
        if (!Applies(request, policy, out var uri))
        {
            RemoveHeadersIf(removeOurs, request.Headers);
            return base.SendAsync(request, cancellationToken);
        }

        headersSent = SetHeaders(request.Headers, removeOurs);
        learnFrom = uri;
        return _backoff.AnyIsolated && _backoff.TryGetIsolated(uri, out var isolated)
            ? SendThroughCircuitAsync(isolated, request, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    /// <summary>Awaits a hop that did not complete at once, learns from it, and follows its redirects (one state machine for all).</summary>
    private async Task<HttpResponseMessage> CompleteAsync(
        HttpRequestMessage request, Task<HttpResponseMessage> sending, Uri? learnFrom, CompiledPropagationPolicy policy, bool headersSent, CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        if (learnFrom is not null)
        {
            Observe(learnFrom, response, policy);
        }

        for (var redirects = 1; redirects <= _maxRedirections && HttpRedirect.TryGetTarget(request.RequestUri, response, out var target); redirects++)
        {
            var status = response.StatusCode;
            response.Dispose();
            HttpRedirect.Prepare(request, status, target);
            response = await StartHopAsync(request, headersSent, out learnFrom, out policy, out headersSent, cancellationToken).ConfigureAwait(false);
            if (learnFrom is not null)
            {
                Observe(learnFrom, response, policy);
            }
        }

        return response;
    }

    /// <summary>The synchronous hop: headers as in <see cref="StartHopAsync"/>, then the response observed.</summary>
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
        var response = _backoff.AnyIsolated && _backoff.TryGetIsolated(uri, out var isolated)
            ? isolated.Pipeline.Execute(static (state, token) => state.Handler.SendInner(state.Request, token), (Handler: this, Request: request), cancellationToken)
            : base.Send(request, cancellationToken);
        Observe(uri, response, policy);
        return response;
    }

    private HttpResponseMessage SendInner(HttpRequestMessage request, CancellationToken cancellationToken) => base.Send(request, cancellationToken);

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

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

    private Task<HttpResponseMessage> SendThroughCircuitAsync(IsolatedDownstream isolated, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Isolated: the breaker throws IsolatedCircuitException before the callback runs. If the
        // window ended in between, the circuit is closed and the request goes out.
        return isolated.Pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendInnerAsync(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).AsTask();
    }

    /// <summary>Reads a downstream's <c>X-Memory-Usage</c> and isolates it when it reports pressure. Never throws.</summary>
    private void Observe(Uri uri, HttpResponseMessage response, CompiledPropagationPolicy policy)
    {
        // A primary handler we could not take over may have followed a redirect: the answer is then
        // another authority's, and is never credited to this one (nor learnt from at all).
        if (response.RequestMessage?.RequestUri is { } answered && !ReferenceEquals(answered, uri) && !SameAuthority(answered, uri))
        {
            return;
        }

        var headers = response.Headers.NonValidated;
        if (!headers.TryGetValues(MemoryHeaderNames.Usage, out var values))
        {
            return;
        }

        if (values.Count != 1 || !MemoryHeaderParser.TryParseUsage(values.ToString(), out var usage))
        {
            _metrics.HeaderMalformed(MemoryHeaderNames.Usage);
            PropagationLog.MalformedHeader(_logger, MemoryHeaderNames.Usage, DownstreamOrigin);
            return;
        }

        var status = (int)response.StatusCode;
        var shedding = status is 429 or 503 && headers.Contains(MemoryHeaderNames.RetryAfter);
        if (!shedding && usage <= policy.DownstreamBackoffAbovePercent)
        {
            return;
        }

        var window = RetryAfterWindow.From(response.Headers.RetryAfter, _time.GetUtcNow());
        var authority = DownstreamBackoff.AuthorityOf(uri);
        if (!policy.Enforce)
        {
            PropagationLog.DownstreamIsolationShadow(_logger, authority, status, usage, window.TotalSeconds);
            return;
        }

        _backoff.Isolate(authority, window, status, usage);
    }

    private static bool SameAuthority(Uri answered, Uri asked) =>
        answered.IsAbsoluteUri && answered.Port == asked.Port && string.Equals(answered.IdnHost, asked.IdnHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>The last host decided, with the matcher that decided it (a new contract means a new matcher).</summary>
    private sealed class HostDecision(OutboundHostMatcher matcher, string host, bool allowed)
    {
        public OutboundHostMatcher Matcher { get; } = matcher;

        public string Host { get; } = host;

        public bool Allowed { get; } = allowed;
    }
}
