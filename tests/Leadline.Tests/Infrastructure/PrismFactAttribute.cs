namespace Leadline.Tests.Infrastructure;

/// <summary>A test that needs Prism: skipped, with the reason, when LEADLINE_TEST_PRISM is not set (plain <c>dotnet test</c>).</summary>
public sealed class PrismFactAttribute : FactAttribute
{
    public PrismFactAttribute()
    {
        if (PrismMock.Executable is null)
        {
            Skip = $"{PrismMock.Variable} is not set: ./test.sh installs Prism (npm @stoplight/prism-cli) and sets it";
        }
    }
}
