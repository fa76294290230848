namespace MemoryContracts;

/// <summary>Reads a downstream's response for adaptive throttling. Allocation-free; never throws.</summary>
internal static class MemoryRejection
{
    /// <summary>
    /// Classifies <paramref name="response"/> to a call to <paramref name="host"/>:<paramref name="port"/>.
    /// <paramref name="malformedUsage"/> is set when its <c>X-Memory-Usage</c> could not be read (then
    /// it is not recognised as a memory rejection).
    /// </summary>
    public static DownstreamAnswer Classify(HttpResponseMessage response, string host, int port, int backoffAbovePercent, out bool malformedUsage)
    {
        malformedUsage = false;

        // A primary handler we could not take over may have followed a redirect: the answer is then
        // another authority's, and is never credited to this one.
        if (response.RequestMessage?.RequestUri is { } answered
            && !(answered.IsAbsoluteUri && answered.Port == port && string.Equals(answered.IdnHost, host, StringComparison.OrdinalIgnoreCase)))
        {
            return DownstreamAnswer.NotFromThisAuthority;
        }

        var headers = response.Headers.NonValidated;
        if (!headers.TryGetValues(MemoryHeaderNames.Usage, out var values))
        {
            return DownstreamAnswer.Accepted;
        }

        if (values.Count != 1 || !MemoryHeaderParser.TryParseUsage(values.ToString(), out var usage))
        {
            malformedUsage = true;
            return DownstreamAnswer.Accepted;
        }

        var status = (int)response.StatusCode;
        var shed = status is 429 or 503 && headers.Contains(MemoryHeaderNames.RetryAfter);
        return shed || usage > backoffAbovePercent ? DownstreamAnswer.Rejected : DownstreamAnswer.Accepted;
    }
}
