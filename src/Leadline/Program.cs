using Leadline.Cli;

return await Cli.RunAsync(args);

/// <summary>The entry point; tests reach the app through it with WebApplicationFactory.</summary>
public partial class Program;
