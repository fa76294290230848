using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>
/// The two request handlers of the dashboard: the page and its history JSON. Both answer 403 to a
/// caller the pressure headers would not trust either (<see cref="CallerTrust"/>: outside
/// <c>propagation.trusted_networks</c>, or relayed by a trusted proxy for someone outside them) and mark
/// every response <c>no-store</c>, <c>nosniff</c>, with a restrictive <c>Content-Security-Policy</c>.
/// </summary>
internal sealed class DashboardEndpoints
{
    /// <summary>The query parameter that asks only for the points stamped at or after a time.</summary>
    public const string SinceParameter = "since";

    private const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";

    private readonly IServiceProvider _services;
    private readonly DashboardHistory _history;
    private readonly IMemoryPressure _pressure;

    public DashboardEndpoints(IServiceProvider services, DashboardHistory history, IMemoryPressure pressure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(pressure);
        _services = services;
        _history = history;
        _pressure = pressure;
    }

    public Task ServePageAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = DashboardPage.Instance;
        if (!Admit(context, page.ContentSecurityPolicy))
        {
            return Forbid(context);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = page.Html.Length;
        return context.Response.Body.WriteAsync(page.Html, context.RequestAborted).AsTask();
    }

    public Task ServeHistoryAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Admit(context, DataPolicy))
        {
            return Forbid(context);
        }

        DateTimeOffset? since = null;
        if (context.Request.Query.TryGetValue(SinceParameter, out var sinceText))
        {
            if (!DateTimeOffset.TryParse(sinceText.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return PlainText(context, StatusCodes.Status400BadRequest,
                    $"'{SinceParameter}' must be a timestamp in ISO 8601 form, such as 2025-01-31T12:00:00.000Z (a 'timestamp' of an earlier answer).");
            }

            since = parsed;
        }

        var contract = _services.GetRequiredService<MemoryContractSource>().Current;
        var document = HistoryDocument.Create(_history.Read(since), contract, _pressure.Current);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, document, DashboardJsonContext.Default.HistoryDocument, context.RequestAborted);
    }

    /// <summary>Writes the headers every answer carries and tells whether the caller is trusted.</summary>
    private bool Admit(HttpContext context, string contentSecurityPolicy)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        var networks = _services.GetRequiredService<PropagationPolicyProvider>().Current.TrustedNetworks;
        return CallerTrust.IsTrusted(context, networks);
    }

    private static Task Forbid(HttpContext context) =>
        PlainText(context, StatusCodes.Status403Forbidden,
            "The memory contracts dashboard answers only callers in the contract's propagation.trusted_networks, and not requests a proxy relays for an address outside them.");

    private static Task PlainText(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
