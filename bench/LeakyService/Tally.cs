namespace LeakyService;

/// <summary>Requests sent, served (2xx), shed (429) and failed (anything else, connection errors included).</summary>
internal sealed class Tally
{
    private long _sent;
    private long _served;
    private long _shed;
    private long _failed;

    public long Sent => Interlocked.Read(ref _sent);

    public long Served => Interlocked.Read(ref _served);

    public long Shed => Interlocked.Read(ref _shed);

    public long Failed => Interlocked.Read(ref _failed);

    public void Record(int statusCode)
    {
        Interlocked.Increment(ref _sent);
        if (statusCode is >= 200 and < 300)
        {
            Interlocked.Increment(ref _served);
        }
        else if (statusCode == 429)
        {
            Interlocked.Increment(ref _shed);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
