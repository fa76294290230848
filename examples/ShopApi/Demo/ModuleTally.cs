namespace ShopApi.Demo;

/// <summary>Requests a module served (2xx), shed (429) and failed (anything else), counted by the traffic.</summary>
internal sealed class ModuleTally
{
    private long _served;
    private long _shed;
    private long _failed;

    public ModuleTally(string module) => Module = module;

    public string Module { get; }

    public long Served => Interlocked.Read(ref _served);

    public long Shed => Interlocked.Read(ref _shed);

    public long Failed => Interlocked.Read(ref _failed);

    public void Record(int statusCode)
    {
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

    public ModuleCounts Read() => new(Module, Served, Shed, Failed);
}
