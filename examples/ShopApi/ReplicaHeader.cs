namespace ShopApi;

/// <summary>
/// <c>--Replica NAME</c> (any configuration source): every response, shed 429s included, carries
/// <c>X-Replica: NAME</c>, so a client behind a gateway can count which replica answered
/// (<c>bench/fleet.sh</c>, which runs three replicas behind examples/Gateway). Without the setting
/// nothing is added.
/// </summary>
internal static class ReplicaHeader
{
    public const string Name = "X-Replica";

    /// <summary>Adds the header to every response when configuration names the replica; call it first.</summary>
    public static void UseReplicaHeader(this WebApplication app)
    {
        var replica = app.Configuration["Replica"];
        if (string.IsNullOrWhiteSpace(replica))
        {
            return;
        }

        app.Use((context, next) =>
        {
            context.Response.Headers[Name] = replica;
            return next(context);
        });
    }
}
