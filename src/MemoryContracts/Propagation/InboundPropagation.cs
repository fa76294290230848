using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The middleware's per-request hook for headers between services: reads a trusted caller's
/// <c>X-Memory-*</c> headers and writes ours (and ORCA's) on the response to trusted callers.
/// </summary>
/// <remarks>
/// Who is trusted is <see cref="CallerTrust"/>'s decision: the connection's address within
/// <c>propagation.trusted_networks</c>, and no forwarding header naming anyone outside them (a trusted
/// proxy relaying for an outsider gets nothing and is not believed). A request with no remote address
/// (a Unix socket, or TestServer, which sets none unless a test does) is untrusted.
/// </remarks>
internal sealed class InboundPropagation
{
    private const string CallerOrigin = "caller";

    private readonly MemoryContractsMetrics _metrics;
    private readonly LoadWindow _load;
    private readonly ILogger _logger;
    private int _relayedForOutsiderLogged;

    public InboundPropagation(MemoryContractsMetrics metrics, LoadWindow load, ILogger<InboundPropagation> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(logger);
        _metrics = metrics;
        _load = load;
        _logger = logger;
    }

    /// <summary>
    /// Called once per request by the middleware, before any shedding decision. Allocation-free for
    /// untrusted callers and callers that send no pressure headers (the ORCA value is formatted once per
    /// load window and snapshot, <see cref="LoadWindow.OrcaHeaderValue"/>). For a trusted caller, writes the
    /// response headers now (so a shed 429 carries them: do not clear response headers afterwards)
    /// and reports <see cref="CallerPressure.BypassCacheWrites"/> when its usage is above
    /// <c>bypass_cache_writes_above_percent</c> in <c>enforce</c> mode; the middleware then activates
    /// <see cref="CallerCacheBypass"/> for that request only.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="snapshot">The pressure snapshot the middleware read for this request.</param>
    /// <returns>What the trusted caller reported; <see langword="default"/> when nothing or untrusted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CallerPressure OnRequest(HttpContext context, MemoryPressureSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(snapshot);
        var policy = snapshot.Plan.Propagation;
        switch (CallerTrust.Judge(context, policy.TrustedNetworks))
        {
            case CallerTrustVerdict.Trusted:
                return OnTrustedRequest(context, snapshot, policy);
            case CallerTrustVerdict.RelayedForOutsider:
                RelayedForOutsider(context);
                return default;
            default:
                return default;
        }
    }

    /// <summary>Tells the operator once that a trusted proxy's relayed requests get nothing (a gateway in front of public clients learns nothing from us).</summary>
    private void RelayedForOutsider(HttpContext context)
    {
        if (Volatile.Read(ref _relayedForOutsiderLogged) == 0 && _logger.IsEnabled(LogLevel.Information)
            && Interlocked.Exchange(ref _relayedForOutsiderLogged, 1) == 0)
        {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
            CallerTrustLog.RelayedForOutsider(_logger, RequestFeatures.RemoteAddress(context.Features));
#pragma warning restore CA1873
        }
    }

    private CallerPressure OnTrustedRequest(HttpContext context, MemoryPressureSnapshot snapshot, CompiledPropagationPolicy policy)
    {
        WriteResponseHeaders(context.Response.Headers, snapshot, policy);

        var headers = context.Request.Headers;
        int? usage = null;
        switch (MemoryHeaderParser.ParseUsage(headers[MemoryHeaderNames.Usage], out var percent))
        {
            case HeaderParseResult.Valid:
                usage = percent;
                break;
            case HeaderParseResult.Malformed:
                Malformed(MemoryHeaderNames.Usage);
                break;
        }

        if (MemoryHeaderParser.ParseContract(headers[MemoryHeaderNames.Contract], out var contract) == HeaderParseResult.Malformed)
        {
            Malformed(MemoryHeaderNames.Contract);
        }

        var bypass = policy.Enforce && usage > policy.BypassCacheWritesAbovePercent;

        return new CallerPressure(usage, contract, bypass);
    }

    private void WriteResponseHeaders(IHeaderDictionary headers, MemoryPressureSnapshot snapshot, CompiledPropagationPolicy policy)
    {
        // Before the guard's first sample there is nothing true to report.
        if (ReferenceEquals(snapshot, MemoryPressureSnapshot.Initial))
        {
            return;
        }

        if (policy.ResponseHeaders)
        {
            headers[MemoryHeaderNames.Usage] = snapshot.UsageHeaderValue;
            headers[MemoryHeaderNames.Capacity] = snapshot.CapacityHeaderValue;
            headers[MemoryHeaderNames.Contract] = snapshot.ContractVersion;
        }

        if (policy.Orca)
        {
            headers[MemoryHeaderNames.EndpointLoadMetrics] = _load.OrcaHeaderValue(snapshot);
        }
    }

    private void Malformed(string header)
    {
        _metrics.HeaderMalformed(header);
        PropagationLog.MalformedHeader(_logger, header, CallerOrigin);
    }
}
