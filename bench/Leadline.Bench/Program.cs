using Leadline.Bench;

if (args is ["fake-llm", ..])
{
    FakeModelOptions fake;
    try
    {
        fake = FakeModelOptions.Parse(args[1..]);
    }
    catch (UsageException e)
    {
        Console.Error.WriteLine($"{e.Message}\n\n{FakeModelOptions.Usage}");
        return 64;
    }
    if (fake.Help)
    {
        Console.WriteLine(FakeModelOptions.Usage);
        return 0;
    }
    return await FakeModelServer.RunAsync(fake);
}

if (args is ["mail-setup", ..])
{
    try
    {
        return MailSetup.Run(args[1..]);
    }
    catch (UsageException e)
    {
        Console.Error.WriteLine($"{e.Message}\n\n{MailSetup.Usage}");
        return 64;
    }
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{BenchOptions.Usage}");
    return 64;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    if (options.Mail)
    {
        MailReport mail = await new MailRun(options).RunAsync(cancel.Token);
        Console.WriteLine(mail.Render());
        if (options.JsonOut is { } mailPath)
        {
            await File.WriteAllTextAsync(mailPath, System.Text.Json.JsonSerializer.Serialize(mail, BenchRun.ReportJson), cancel.Token);
            Console.Error.WriteLine($"Report written to {mailPath}");
        }
        return mail.LostOrDuplicated ? 1 : 0;
    }
    BenchReport report = await new BenchRun(options).RunAsync(cancel.Token);
    Console.WriteLine(report.Render());
    if (options.JsonOut is { } path)
    {
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(report, BenchRun.ReportJson), cancel.Token);
        Console.Error.WriteLine($"Report written to {path}");
    }
    return report.LostOrDuplicated ? 1 : report.RequestsFailed ? 2 : 0;
}
catch (BenchAbortedException e)
{
    Console.Error.WriteLine($"Bench aborted: {e.Message}");
    return 3;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Bench interrupted.");
    return 130;
}
