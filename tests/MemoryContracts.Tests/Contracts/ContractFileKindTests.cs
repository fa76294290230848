using System.Diagnostics;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Contracts;

/// <summary>
/// Issue 10, defect 8: a contract path that is not a regular file (a FIFO blocks the open for ever) is
/// refused with an error naming the path, at start-up and on reload; a symbolic link to a regular file
/// (a ConfigMap mount) still loads. Every call that could hang is bounded, so a regression fails rather
/// than hanging the suite. Reloads are called by hand (the watcher runs on a fake clock).
/// </summary>
public sealed class ContractFileKindTests : IDisposable
{
    private const string V1 = "version: v1\nmodules:\n  - name: catalog\n    max_heap_mb: 100\n";
    private const string V2 = "version: v2\nmodules:\n  - name: catalog\n    max_heap_mb: 200\n";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("mc-kind-").FullName;
    private readonly FakeLoggerProvider _logs = new();
    private readonly List<string> _fifos = [];

    private string ContractFile => Path.Combine(_directory, "memory_contract.yaml");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [LinuxFact]
    public async Task StartAsync_ContractPathIsAFifo_FailsFastNamingThePath()
    {
        MakeFifo(ContractFile);
        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => BoundedAsync(() => host.StartAsync()));

        Assert.Contains($"'{ContractFile}' is a FIFO (named pipe), not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContractFile, error.FilePath);
    }

    [LinuxFact]
    public async Task StartAsync_ContractPathLinksToAFifo_FailsFastNamingThePath()
    {
        var fifo = Path.Combine(_directory, "pipe");
        MakeFifo(fifo);
        File.CreateSymbolicLink(ContractFile, fifo);
        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => BoundedAsync(() => host.StartAsync()));

        Assert.Contains("is a FIFO (named pipe)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ContractPathIsADirectory_FailsSayingSo()
    {
        Directory.CreateDirectory(ContractFile);
        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => BoundedAsync(() => host.StartAsync()));

        Assert.Contains($"'{ContractFile}' is a directory, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public async Task StartAsync_ContractPathIsACharacterDevice_FailsSayingSo()
    {
        using var host = BuildHost(contractPath: "/dev/null");

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => BoundedAsync(() => host.StartAsync()));

        Assert.Contains("'/dev/null' is a character device, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public async Task Reload_FifoSwappedIn_RefusedAndTheLastGoodContractKept()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var services = BuildServices();
        var source = services.GetRequiredService<MemoryContractSource>();
        var changes = 0;
        source.Changed += _ => Interlocked.Increment(ref changes);

        File.Delete(ContractFile);
        MakeFifo(ContractFile);
        var failed = _logs.Collector.NextAsync(4);
        await BoundedAsync(() => Task.Run(source.Reload));     // noticed, confirmed one debounce later
        await BoundedAsync(() => Task.Run(source.Reload));     // the confirming read

        var message = await failed.WaitAsync(Bound);
        Assert.Contains("is a FIFO (named pipe), not a regular file", message, StringComparison.Ordinal);
        Assert.Contains("the last good contract v1 stays in force", message, StringComparison.Ordinal);
        Assert.Equal("v1", source.Current.Version);
        Assert.Equal(0, changes);

        // The source is not wedged: a regular file afterwards is applied, and disposing returns.
        File.Delete(ContractFile);
        await File.WriteAllTextAsync(ContractFile, V2);
        await BoundedAsync(() => Task.Run(source.Reload));
        Assert.Equal("v2", source.Current.Version);
        await BoundedAsync(() => Task.Run(source.Dispose));
    }

    [Fact]
    public async Task Reload_FileDeleted_KeepsTheLastGoodContractLogsEvent4ThenAppliesTheFileWhenItReturns()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var services = BuildServices();
        var source = services.GetRequiredService<MemoryContractSource>();
        var changes = 0;
        source.Changed += _ => Interlocked.Increment(ref changes);

        File.Delete(ContractFile);
        var failed = _logs.Collector.NextAsync(4);
        await BoundedAsync(() => Task.Run(source.Reload));     // noticed, confirmed one debounce later
        await BoundedAsync(() => Task.Run(source.Reload));     // the confirming read

        var message = await failed.WaitAsync(Bound);
        Assert.Contains(ContractFile, message, StringComparison.Ordinal);
        Assert.Contains("the last good contract v1 stays in force", message, StringComparison.Ordinal);
        Assert.Equal("v1", source.Current.Version);
        Assert.Equal(0, changes);

        await File.WriteAllTextAsync(ContractFile, V2);
        await BoundedAsync(() => Task.Run(source.Reload));
        Assert.Equal("v2", source.Current.Version);
        Assert.Equal(1, changes);
    }

    [Fact]
    public async Task StartAsync_SymlinkToARegularFile_LoadsIt()
    {
        var target = Path.Combine(_directory, "real.yaml");
        await File.WriteAllTextAsync(target, V1);
        File.CreateSymbolicLink(ContractFile, target);
        using var host = BuildHost();

        await BoundedAsync(() => host.StartAsync());

        Assert.Equal("v1", host.Services.GetRequiredService<MemoryContractSource>().Current.Version);
        await host.StopAsync();
    }

    [Fact]
    public async Task Reload_ConfigMapDataLinkSwapped_AppliesTheNewFile()
    {
        // A Kubernetes ConfigMap volume: memory_contract.yaml -> ..data/memory_contract.yaml, ..data -> ..v1.
        Directory.CreateDirectory(Path.Combine(_directory, "..v1"));
        Directory.CreateDirectory(Path.Combine(_directory, "..v2"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "..v1", "memory_contract.yaml"), V1);
        await File.WriteAllTextAsync(Path.Combine(_directory, "..v2", "memory_contract.yaml"), V2);
        var data = Path.Combine(_directory, "..data");
        Directory.CreateSymbolicLink(data, "..v1");
        File.CreateSymbolicLink(ContractFile, Path.Combine("..data", "memory_contract.yaml"));
        using var services = BuildServices();
        var source = services.GetRequiredService<MemoryContractSource>();
        Assert.Equal("v1", source.Current.Version);

        Directory.Delete(data);
        Directory.CreateSymbolicLink(data, "..v2");
        await BoundedAsync(() => Task.Run(source.Reload));

        Assert.Equal("v2", source.Current.Version);
    }

    private void MakeFifo(string path)
    {
        _fifos.Add(path);
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        Assert.True(process.WaitForExit(Bound), "mkfifo did not finish");
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>
    /// Runs <paramref name="action"/> off the test thread and fails (instead of hanging) if it takes over
    /// 10 s; then a writer opens and closes each FIFO, so a reader blocked in it returns and cleanup can run.
    /// </summary>
    private async Task BoundedAsync(Func<Task> action)
    {
        var run = Task.Run(action);
        try
        {
            await run.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            foreach (var fifo in _fifos)
            {
                _ = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose()).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2)));
            Assert.Fail($"still blocked after {Bound.TotalSeconds} s");
        }
    }

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddLogging(logging => logging.AddProvider(_logs))
        .AddSingleton<TimeProvider>(new FakeTimeProvider())
        .AddMemoryContracts(o => o.ContractPath = ContractFile)
        .BuildServiceProvider();

    private IHost BuildHost(string? contractPath = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _directory });
        builder.Logging.AddProvider(_logs);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        builder.Services.AddMemoryContracts(o => o.ContractPath = contractPath ?? "memory_contract.yaml");
        return builder.Build();
    }
}
