using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// Carries "this code serves a request of a core module" from the middleware to the outbound handler
/// along the request's async flow, so calls made while serving a core request are never refused
/// locally by downstream backoff (DESIGN §13: only the downstream may refuse them). Work the request
/// starts (a <c>Task.Run</c>, a fire-and-forget call) inherits the mark, as it inherits any async-local.
/// </summary>
/// <remarks>
/// Marking costs one execution-context change (about 100 bytes) per core request, so the middleware
/// marks only when the application has <c>IHttpClientFactory</c> (the only clients that carry the
/// outbound handler). Non-core requests pay nothing.
/// </remarks>
internal static class CoreRequestFlow
{
    private static readonly object Marker = new();
    private static readonly AsyncLocal<object?> Flag = new();

    /// <summary>Gets a value indicating whether the current async flow serves a core request.</summary>
    public static bool IsActive => Flag.Value is not null;

    /// <summary>
    /// Runs <paramref name="next"/> with the current flow marked as serving a core request. Continuations
    /// of the request's own awaits keep the mark; the caller's flow gets its execution context back
    /// when this returns, so the mark never reaches the next request on the connection.
    /// </summary>
    public static Task Run(RequestDelegate next, HttpContext context)
    {
        var previous = ExecutionContext.Capture();
        Flag.Value = Marker;
        try
        {
            return next(context);
        }
        finally
        {
            if (previous is null)
            {
                Flag.Value = null;
            }
            else
            {
                ExecutionContext.Restore(previous);
            }
        }
    }
}
