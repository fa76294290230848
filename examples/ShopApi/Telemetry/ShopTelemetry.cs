using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ShopApi.Telemetry;

/// <summary>
/// The OpenTelemetry SDK, subscribed by name to the <c>MemoryContracts</c> meter (pressure levels,
/// heap utilization, shed requests, trims, induced GCs) and to ASP.NET Core's. Metrics go out over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads it, with
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and friends); otherwise nothing is exported.
/// </summary>
internal static class ShopTelemetry
{
    public static OpenTelemetrySdk Create() => OpenTelemetrySdk.Create(otel => otel.WithMetrics(metrics =>
    {
        metrics.AddMeter("MemoryContracts", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            metrics.AddOtlpExporter();
        }
    }));
}
