using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>Validates <see cref="MemoryContractsOptions"/> (run at start-up through <c>ValidateOnStart</c>).</summary>
internal sealed class MemoryContractsOptionsValidator : IValidateOptions<MemoryContractsOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryContractsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Contract is null)
        {
            if (string.IsNullOrWhiteSpace(options.ContractPath))
            {
                failures.Add("MemoryContracts:ContractPath must not be empty (give a contract file, or a contract in code through MemoryContractsOptions.Contract).");
            }
            else if (options.ContractPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                failures.Add($"MemoryContracts:ContractPath '{options.ContractPath}' contains characters a path cannot have.");
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Modules.Count; i++)
        {
            var module = options.Modules[i];
            if (string.IsNullOrWhiteSpace(module))
            {
                failures.Add($"MemoryContracts:Modules[{i}] is blank; name a module of the contract.");
            }
            else if (!seen.Add(module))
            {
                failures.Add($"MemoryContracts:Modules names '{module}' twice.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
