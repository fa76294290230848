namespace LeakyService;

/// <summary>
/// Treats any <see cref="OutOfMemoryException"/> as fatal, the way a container's OOM killer would:
/// the process reports it on stderr and ends with <see cref="Environment.FailFast(string?)"/>. A
/// process that survives has therefore seen none.
/// </summary>
internal static class OomTripwire
{
    public static void Arm() => AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
    {
        if (e.Exception is OutOfMemoryException)
        {
            Environment.FailFast("LeakyService died of OutOfMemoryException: " + e.Exception.Message);
        }
    };
}
