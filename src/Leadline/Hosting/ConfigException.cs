namespace Leadline;

/// <summary>A configuration value that prevents start-up; the message names the variable.</summary>
public sealed class ConfigException(string variable, string problem)
    : Exception($"{variable}: {problem}")
{
    public string Variable { get; } = variable;
}
