using Polly;

namespace MemoryContracts;

/// <summary>
/// One downstream authority under adaptive throttling: its controller, and the Polly pipeline (one
/// <see cref="DownstreamThrottleStrategy"/>) every call to it goes through.
/// </summary>
internal sealed class ThrottledDownstream
{
    private bool _dropped;

    public ThrottledDownstream(DownstreamThrottleController controller, ResiliencePipeline<HttpResponseMessage> pipeline, string host, int port)
    {
        Controller = controller;
        Pipeline = pipeline;
        Host = host;
        Port = port;
    }

    /// <summary>Gets the downstream's <c>host:port</c>.</summary>
    public string Authority => Controller.Authority;

    /// <summary>Gets the state and decisions of throttling for this authority.</summary>
    public DownstreamThrottleController Controller { get; }

    /// <summary>Gets the pipeline calls to this authority go through.</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Gets the host this entry was made for, as <see cref="Uri.Host"/> gives it.</summary>
    public string Host { get; }

    /// <summary>Gets the port this entry was made for.</summary>
    public int Port { get; }

    /// <summary>
    /// Gets or sets a value indicating whether the registry dropped this entry (idle, to make room): a
    /// handler that remembered it must look its authority up again.
    /// </summary>
    public bool Dropped
    {
        get => Volatile.Read(ref _dropped);
        set => Volatile.Write(ref _dropped, value);
    }

    /// <summary>Whether this entry is the live one for <paramref name="uri"/>'s authority (allocation-free).</summary>
    public bool IsFor(Uri uri) => !Dropped && uri.Port == Port && string.Equals(uri.Host, Host, StringComparison.OrdinalIgnoreCase);
}
