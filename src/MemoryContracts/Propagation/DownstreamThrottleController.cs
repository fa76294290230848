using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The state of adaptive throttling for one downstream authority (<c>host:port</c>), as Polly's circuit
/// breaker keeps its state in a controller its strategy asks: the calls made and accepted over the last
/// 30 seconds (<see cref="AdaptiveThrottleWindow"/>), whether a call may go out, and what each answer
/// says. Settings (K, the backoff threshold, the mode) are read from the contract in force at each call.
/// A call made while serving a core request always goes out; in shadow mode nothing is refused and the
/// start of would-be refusals is logged. Allocation-free except for a refusal's exception.
/// </summary>
internal sealed class DownstreamThrottleController
{
    private const int Throttling = 1;
    private const int NotThrottling = 0;

    private readonly AdaptiveThrottleWindow _window;
    private readonly string _host;
    private readonly int _port;
    private readonly PropagationPolicyProvider _policy;
    private readonly TimeProvider _time;
    private readonly ThrottleRandom _random;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private int _state;

    public DownstreamThrottleController(
        string authority,
        string host,
        int port,
        PropagationPolicyProvider policy,
        TimeProvider time,
        ThrottleRandom random,
        MemoryContractsMetrics metrics,
        ILogger logger)
    {
        Authority = authority;
        _host = host;
        _port = port;
        _policy = policy;
        _time = time;
        _random = random;
        _metrics = metrics;
        _logger = logger;
        _window = new AdaptiveThrottleWindow(time.TimestampFrequency, time.GetTimestamp());
    }

    /// <summary>Gets the downstream's <c>host:port</c>.</summary>
    public string Authority { get; }

    /// <summary>Gets the probability with which a call outside a core request would be refused now.</summary>
    public double RefusalProbability
    {
        get
        {
            var (requests, accepts) = _window.Counts(_time.GetTimestamp());
            return AdaptiveThrottling.RefusalProbability(requests, accepts, _policy.Current.DownstreamBackoffAcceptsMultiplier);
        }
    }

    /// <summary>Gets the calls made and accepted within the window now (for tests and logs).</summary>
    public (long Requests, long Accepts) Counts => _window.Counts(_time.GetTimestamp());

    /// <summary>Gets a value indicating whether nothing was recorded within the window (the entry may be dropped).</summary>
    public bool IsIdle => _window.IsIdle(_time.GetTimestamp());

    /// <summary>
    /// Decides a call before it goes out: <see langword="null"/> to send it, or the exception to fail it
    /// with (it is then counted as a request the downstream did not accept).
    /// </summary>
    /// <param name="core">Whether the call is made while serving a core request (never refused).</param>
    /// <param name="timestamp">The clock's timestamp now, for <see cref="OnResponse(HttpResponseMessage, long)"/>.</param>
    public MemoryPressureRejectedException? OnCall(bool core, out long timestamp)
    {
        var policy = _policy.Current;
        var now = timestamp = _time.GetTimestamp();
        var (requests, accepts) = _window.Counts(now);
        var probability = AdaptiveThrottling.RefusalProbability(requests, accepts, policy.DownstreamBackoffAcceptsMultiplier);
        Note(probability, requests, accepts, policy.Enforce);
        if (core || probability <= 0 || !policy.Enforce || _random.Next() >= probability)
        {
            return null;
        }

        _window.Record(now, accepted: false);
        _metrics.DownstreamRefused(Authority);
        return new MemoryPressureRejectedException(Authority, probability);
    }

    /// <summary>Counts a call's answer: accepted, or a memory rejection (an answer from another authority counts for no one).</summary>
    public void OnResponse(HttpResponseMessage response) => OnResponse(response, _time.GetTimestamp());

    /// <summary>
    /// Counts a call's answer, in the bucket of <paramref name="timestamp"/> (the call's start, read once
    /// per call; a call that outlived the window counts in the current bucket).
    /// </summary>
    public void OnResponse(HttpResponseMessage response, long timestamp)
    {
        var answer = MemoryRejection.Classify(response, _host, _port, _policy.Current.DownstreamBackoffAbovePercent, out var malformed);
        if (malformed)
        {
            _metrics.HeaderMalformed(MemoryHeaderNames.Usage);
            PropagationLog.MalformedHeader(_logger, MemoryHeaderNames.Usage, "downstream");
        }

        if (answer != DownstreamAnswer.NotFromThisAuthority)
        {
            _window.Record(timestamp, answer == DownstreamAnswer.Accepted);
        }
    }

    /// <summary>Logs when refusals start (or, in shadow mode, would start) and when they end; once per change.</summary>
    private void Note(double probability, long requests, long accepts, bool enforce)
    {
        var state = probability > 0 ? Throttling : NotThrottling;
        if (Volatile.Read(ref _state) == state || Interlocked.Exchange(ref _state, state) == state)
        {
            return;
        }

        if (state == NotThrottling)
        {
            PropagationLog.DownstreamThrottlingEnded(_logger, Authority, requests, accepts);
        }
        else if (enforce)
        {
            PropagationLog.DownstreamThrottlingStarted(_logger, Authority, requests - accepts, requests, probability);
        }
        else
        {
            PropagationLog.DownstreamThrottlingShadow(_logger, Authority, requests - accepts, requests, probability);
        }
    }
}
