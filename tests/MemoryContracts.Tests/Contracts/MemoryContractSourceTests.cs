using System.Diagnostics;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemoryContracts.Tests.Contracts;

/// <summary>Start-up, options, configuration binding and reload of the contract file, with real hosting and a real temp file.</summary>
public sealed class MemoryContractSourceTests : IDisposable
{
    private const string V1 = "version: v1\nmodules:\n  - name: catalog\n    max_heap_mb: 100\n  - name: checkout\n";
    private const string V2 = "version: v2\nmodules:\n  - name: catalog\n    max_heap_mb: 200\n  - name: checkout\n";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly string _directory = Directory.CreateTempSubdirectory("mc-source-").FullName;
    private readonly FakeLoggerProvider _logs = new();

    private string ContractFile => Path.Combine(_directory, "memory_contract.yaml");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task StartAsync_GoodFileInContentRoot_LoadsIt()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost();

        await host.StartAsync();

        var source = host.Services.GetRequiredService<MemoryContractSource>();
        Assert.Equal("v1", source.Current.Version);
        Assert.Equal(ContractFile, source.FilePath);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Id == 1 && r.Message.Contains("catalog, checkout", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_BadFile_FailsWithTheErrorsLine()
    {
        await File.WriteAllTextAsync(ContractFile, "modules:\n  - name: catalog\n    max_heep_mb: 100\n");
        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => host.StartAsync());

        Assert.Contains(ContractFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3, column 5 (key 'modules[0].max_heep_mb')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MissingFile_FailsNamingTheFullPath()
    {
        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => host.StartAsync());

        Assert.Contains(ContractFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ModulesOptionNamesAModuleTheFileLacks_Fails()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost(configuration: new() { ["MemoryContracts:Modules:0"] = "reports" });

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => host.StartAsync());

        Assert.Equal("MemoryContracts:Modules", error.Key);
        Assert.Contains("'reports'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ContractNamesAnUnregisteredResponder_Fails()
    {
        await File.WriteAllTextAsync(ContractFile, V1 + "responses:\n  high: [alert, page_oncall]\n");
        using var host = BuildHost();

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => host.StartAsync());

        Assert.Equal("responses.high[1]", error.Key);
        Assert.Equal((7, 17), (error.Line, error.Column));
    }

    [Fact]
    public async Task StartAsync_ContractNamesARegisteredResponder_Starts()
    {
        await File.WriteAllTextAsync(ContractFile, V1 + "responses:\n  high: [alert, page_oncall]\n");
        using var host = BuildHost(services => services.AddSingleton<IMemoryPressureResponder>(new NamedResponder("page_oncall")));

        await host.StartAsync();

        Assert.Equal("page_oncall", Assert.Single(host.Services.GetRequiredService<MemoryContractSource>().Current.CustomResponders).Name);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_EmptyContractPath_FailsOptionsValidationNamingTheKey()
    {
        using var host = BuildHost(services => services.Configure<MemoryContractsOptions>(o => o.ContractPath = " "));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MemoryContracts:ContractPath must not be empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BlankOrDuplicateModulesOption_FailsOptionsValidation()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost(configuration: new()
        {
            ["MemoryContracts:Modules:0"] = "catalog",
            ["MemoryContracts:Modules:1"] = " ",
            ["MemoryContracts:Modules:2"] = "Catalog",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MemoryContracts:Modules[1] is blank", error.Message, StringComparison.Ordinal);
        Assert.Contains("MemoryContracts:Modules names 'Catalog' twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_MemoryContractsSection_IsBound()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(Configuration(new()
            {
                ["MemoryContracts:ContractPath"] = "contracts/shop.yaml",
                ["MemoryContracts:Modules:0"] = "catalog",
                ["MemoryContracts:Modules:1"] = "checkout",
                ["MemoryContracts:PropagateToAllHttpClients"] = "false",
            }))
            .AddMemoryContracts()
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<MemoryContractsOptions>>().Value;

        Assert.Equal("contracts/shop.yaml", options.ContractPath);
        Assert.Equal(["catalog", "checkout"], options.Modules);
        Assert.False(options.PropagateToAllHttpClients);
    }

    [Fact]
    public void Options_ModulesAsACommaSeparatedValue_AreBound()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(Configuration(new() { ["MemoryContracts:Modules"] = "catalog, checkout" }))
            .AddMemoryContracts()
            .BuildServiceProvider();

        Assert.Equal(["catalog", "checkout"], services.GetRequiredService<IOptions<MemoryContractsOptions>>().Value.Modules);
    }

    [Fact]
    public void Options_CodeAndConfiguration_CodeWins()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(Configuration(new() { ["MemoryContracts:ContractPath"] = "from-config.yaml", ["MemoryContracts:PropagateToAllHttpClients"] = "false" }))
            .Configure<MemoryContractsOptions>(o => o.PropagateToAllHttpClients = true)
            .AddMemoryContracts(o => o.ContractPath = "from-code.yaml")
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<MemoryContractsOptions>>().Value;

        Assert.Equal("from-code.yaml", options.ContractPath);
        Assert.True(options.PropagateToAllHttpClients);
    }

    [Fact]
    public void Options_NoConfigurationRegistered_DefaultsWithoutFailing()
    {
        var services = new ServiceCollection().AddMemoryContracts().BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<MemoryContractsOptions>>().Value;

        Assert.Equal("memory_contract.yaml", options.ContractPath);
        Assert.Empty(options.Modules);
    }

    [Fact]
    public void Options_PropagateNotABoolean_FailsNamingTheKey()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(Configuration(new() { ["MemoryContracts:PropagateToAllHttpClients"] = "sometimes" }))
            .AddMemoryContracts()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MemoryContractsOptions>>().Value);

        Assert.Contains("MemoryContracts:PropagateToAllHttpClients must be true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMemoryContracts_CalledTwice_RegistersTheContractServicesOnce()
    {
        var services = new ServiceCollection().AddMemoryContracts().AddMemoryContracts();

        Assert.Single(services, d => d.ImplementationType == typeof(MemoryContractsConfigurationBinder));
        Assert.Single(services, d => d.ImplementationType == typeof(ContractStartupCheck));
        Assert.Single(services, d => d.ServiceType == typeof(MemoryContractSource));
    }

    [Fact]
    public async Task Reload_GoodChange_AppliedAndChangedFiresWithinTwoSeconds()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost();
        await host.StartAsync();
        var source = host.Services.GetRequiredService<MemoryContractSource>();
        using var reloads = new ReloadCounter(host.Services);
        var changed = new TaskCompletionSource<MemoryContract>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Changed += contract => changed.TrySetResult(contract);

        var watch = Stopwatch.StartNew();
        await File.WriteAllTextAsync(ContractFile, V2);
        var next = await changed.Task.WaitAsync(Bound);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"applied after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Equal("v2", next.Version);
        Assert.Same(next, source.Current);
        Assert.Equal(200L * 1024 * 1024, source.Current.Modules[0].MaxHeapBytes);
        Assert.Equal((1, 0), (reloads.Succeeded, reloads.Failed));
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Id == 3);
        await host.StopAsync();
    }

    [Fact]
    public async Task Reload_EditorWritesSeveralTimes_AppliesTheLastTextOnce()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost();
        await host.StartAsync();
        var source = host.Services.GetRequiredService<MemoryContractSource>();
        var versions = new List<string>();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Changed += contract =>
        {
            lock (versions)
            {
                versions.Add(contract.Version);
            }

            changed.TrySetResult();
        };

        await File.WriteAllTextAsync(ContractFile, "version: v2\nmodu");        // a truncated first write
        await File.WriteAllTextAsync(ContractFile, V2.Replace("v2", "v3", StringComparison.Ordinal));
        await changed.Task.WaitAsync(Bound);
        await Task.Delay(ContractFileWatcher.PollInterval * 1.5);             // a later poll must not reload again

        lock (versions)
        {
            Assert.Equal(["v3"], versions);
        }

        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Id.Id == 4);
        await host.StopAsync();
    }

    [Fact]
    public async Task Reload_BadChange_KeepsTheLastGoodContractAndLogsTheLine()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost();
        await host.StartAsync();
        var source = host.Services.GetRequiredService<MemoryContractSource>();
        using var reloads = new ReloadCounter(host.Services);
        var good = source.Current;
        var failed = _logs.Collector.NextAsync(4);
        var changes = 0;
        source.Changed += _ => Interlocked.Increment(ref changes);

        await File.WriteAllTextAsync(ContractFile, "version: v2\nmodules:\n  - name: catalog\n    max_heap_mb: 0\n");
        var message = await failed.WaitAsync(Bound);

        Assert.Contains("line 4, column 18", message, StringComparison.Ordinal);
        Assert.Contains("modules[0].max_heap_mb", message, StringComparison.Ordinal);
        Assert.Contains("the last good contract v1 stays in force", message, StringComparison.Ordinal);
        Assert.Same(good, source.Current);
        Assert.Equal(0, changes);
        Assert.Equal((0, 1), (reloads.Succeeded, reloads.Failed));

        // A good file afterwards is applied again.
        var changed = new TaskCompletionSource<MemoryContract>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Changed += contract => changed.TrySetResult(contract);
        await File.WriteAllTextAsync(ContractFile, V2);
        Assert.Equal("v2", (await changed.Task.WaitAsync(Bound)).Version);
        await host.StopAsync();
    }

    [Fact]
    public async Task Reload_ChangeDropsAHostedModule_KeepsTheLastGoodContract()
    {
        await File.WriteAllTextAsync(ContractFile, V1);
        using var host = BuildHost(configuration: new() { ["MemoryContracts:Modules:0"] = "checkout" });
        await host.StartAsync();
        var source = host.Services.GetRequiredService<MemoryContractSource>();
        Assert.Equal("checkout", Assert.Single(source.Current.Modules).Name);
        var failed = _logs.Collector.NextAsync(4);

        await File.WriteAllTextAsync(ContractFile, "version: v2\nmodules:\n  - name: catalog\n");
        var message = await failed.WaitAsync(Bound);

        Assert.Contains("MemoryContracts:Modules", message, StringComparison.Ordinal);
        Assert.Equal("v1", source.Current.Version);
        await host.StopAsync();
    }

    [Fact]
    public void Reload_ChangedHandlerThrows_OtherHandlersStillRunAndTheErrorIsLogged()
    {
        File.WriteAllText(ContractFile, V1);
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs))
            .AddMemoryContracts(o => o.ContractPath = ContractFile)
            .BuildServiceProvider();
        var source = services.GetRequiredService<MemoryContractSource>();
        MemoryContract? seen = null;
        source.Changed += _ => throw new InvalidOperationException("subscriber bug");
        source.Changed += contract => seen = contract;

        File.WriteAllText(ContractFile, V2);
        source.Reload();

        Assert.Equal("v2", seen?.Version);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Id == 6);
    }

    [Fact]
    public void Reload_SameText_DoesNothing()
    {
        File.WriteAllText(ContractFile, V1);
        using var services = new ServiceCollection().AddMemoryContracts(o => o.ContractPath = ContractFile).BuildServiceProvider();
        var source = services.GetRequiredService<MemoryContractSource>();
        var before = source.Current;
        var changes = 0;
        source.Changed += _ => changes++;

        File.SetLastWriteTimeUtc(ContractFile, DateTime.UtcNow.AddMinutes(1));
        source.Reload();

        Assert.Same(before, source.Current);
        Assert.Equal(0, changes);
    }

    [Fact]
    public void Dispose_Source_StopsWatching()
    {
        File.WriteAllText(ContractFile, V1);
        var services = new ServiceCollection().AddMemoryContracts(o => o.ContractPath = ContractFile).BuildServiceProvider();
        var source = services.GetRequiredService<MemoryContractSource>();

        services.Dispose();
        File.WriteAllText(ContractFile, V2);
        source.Reload();

        Assert.Equal("v1", source.Current.Version);
    }

    private IHost BuildHost(Action<IServiceCollection>? configure = null, Dictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.Logging.AddProvider(_logs);
        configure?.Invoke(builder.Services);
        builder.Services.AddMemoryContracts();
        return builder.Build();
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private sealed class NamedResponder(string name) : IMemoryPressureResponder
    {
        public string Name => name;

        public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Counts <c>memory_contracts.contract.reloads</c> by outcome, for one host's meter only.</summary>
    private sealed class ReloadCounter(IServiceProvider services) : IDisposable
    {
        private readonly MetricCollector<long> _reloads = MetricCollection.Counter(services, MemoryContractsMetricNames.ContractReloads);

        public int Succeeded => (int)_reloads.Sum(MemoryContractsMetricNames.OutcomeTag, "success");

        public int Failed => (int)(_reloads.Total() - Succeeded);

        public void Dispose() => _reloads.Dispose();
    }
}
