using System.Net;

namespace MemoryContracts;

/// <summary>
/// The redirect rules of .NET's own <c>SocketsHttpHandler</c>, for when
/// <see cref="MemoryContractHeadersHandler"/> follows a client's redirects itself: 300, 301, 302, 303,
/// 307 and 308 with a <c>Location</c> (relative ones resolved against the request), the request's
/// fragment kept when the location has none, never from <c>https</c> to anything else, only to
/// <c>http</c> or <c>https</c>; 301, 302 and 300 turn a POST into a GET, 303 turns anything but GET
/// and HEAD into a GET (without content); the <c>Authorization</c> header is dropped on every hop.
/// </summary>
internal static class HttpRedirect
{
    /// <summary>Gets a value indicating whether <paramref name="status"/> is a redirect status (a cheap test for the steady state).</summary>
    public static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MultipleChoices
        or HttpStatusCode.Moved
        or HttpStatusCode.Found
        or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect
        or HttpStatusCode.PermanentRedirect;

    /// <summary>Finds where <paramref name="response"/> to a request for <paramref name="requestUri"/> redirects to, if it is to be followed.</summary>
    public static bool TryGetTarget(Uri? requestUri, HttpResponseMessage response, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? target)
    {
        ArgumentNullException.ThrowIfNull(response);
        target = null;
        if (requestUri is not { IsAbsoluteUri: true } || !IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
        {
            return false;
        }

        if (!location.IsAbsoluteUri)
        {
            location = new Uri(requestUri, location);
        }

        // RFC 9110 §10.2.2: a location without a fragment inherits the request's.
        if (requestUri.Fragment.Length != 0 && location.Fragment.Length == 0)
        {
            location = new UriBuilder(location) { Fragment = requestUri.Fragment }.Uri;
        }

        var secure = requestUri.Scheme == Uri.UriSchemeHttps;
        var supported = location.Scheme == Uri.UriSchemeHttps || (!secure && location.Scheme == Uri.UriSchemeHttp);
        if (!supported)
        {
            return false;
        }

        target = location;
        return true;
    }

    /// <summary>Turns <paramref name="request"/> into the redirected request to <paramref name="target"/>.</summary>
    public static void Prepare(HttpRequestMessage request, HttpStatusCode status, Uri target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        request.Headers.Authorization = null;
        request.RequestUri = target;
        if (RequiresGet(status, request.Method))
        {
            request.Method = HttpMethod.Get;
            request.Content = null;
            if (request.Headers.TransferEncodingChunked == true)
            {
                request.Headers.TransferEncodingChunked = false;
            }
        }
    }

    private static bool RequiresGet(HttpStatusCode status, HttpMethod method) => status switch
    {
        HttpStatusCode.Moved or HttpStatusCode.Found or HttpStatusCode.MultipleChoices => method == HttpMethod.Post,
        HttpStatusCode.SeeOther => method != HttpMethod.Get && method != HttpMethod.Head,
        _ => false,
    };
}
