namespace MemoryContracts.Yarp.Tests;
public class Probe
{
    [Fact]
    public void Ctors()
    {
        var asm = typeof(global::Yarp.ReverseProxy.Health.IDestinationHealthUpdater).Assembly;
        foreach (var name in new[] { "Yarp.ReverseProxy.Health.DestinationHealthUpdater", "Yarp.ReverseProxy.Health.EntityActionScheduler`1", "Yarp.ReverseProxy.Utilities.TimerFactory" })
        {
            var t = asm.GetType(name);
            if (t is null) { Console.WriteLine(name + " missing"); continue; }
            foreach (var c in t.GetConstructors(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance))
                Console.WriteLine(name + "(" + string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name)) + ")");
        }
        throw new InvalidOperationException("probe");
    }
}
