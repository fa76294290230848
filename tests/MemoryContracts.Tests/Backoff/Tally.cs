namespace MemoryContracts.Tests.Backoff;

/// <summary>Counts of <see cref="CallResult"/> over a run of calls.</summary>
internal sealed class Tally
{
    public int Served { get; private set; }

    public int ShedByDownstream { get; private set; }

    public int RefusedLocally { get; private set; }

    public int Total => Served + ShedByDownstream + RefusedLocally;

    public double RefusedFraction => Total == 0 ? 0 : RefusedLocally / (double)Total;

    public void Add(CallResult result)
    {
        switch (result)
        {
            case CallResult.Served:
                Served++;
                break;
            case CallResult.ShedByDownstream:
                ShedByDownstream++;
                break;
            default:
                RefusedLocally++;
                break;
        }
    }

    public override string ToString() => $"served {Served}, shed by the downstream {ShedByDownstream}, refused locally {RefusedLocally}";
}
