namespace PerfTools.Tests.Hardening;

/// <summary>Sets environment variables for one test and puts the old values back on dispose; tests using it must be
/// <c>[NonParallelizable]</c>, since the environment is the process's.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _old = [];

    public EnvironmentScope(params (string Name, string? Value)[] variables)
    {
        foreach ((string name, string? value) in variables)
        {
            _old[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach ((string name, string? value) in _old)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
