using ForumApi;

// Exit codes: 0 clean stop (Ctrl+C/SIGTERM) or --help, 1 could not start (port taken, database unreachable or not
// writable), 2 bad command line. Each failure is one line on stderr: "forum_api: <problem>; <fix>".
var parsed = ForumCommandLine.Parse(args);
if (parsed.Error is not null)
{
    Console.Error.WriteLine(parsed.Error);
    return ForumCommandLine.ExitUsage;
}

if (parsed.ShowHelp)
{
    Console.WriteLine(ForumCommandLine.HelpText);
    return ForumCommandLine.ExitOk;
}

WebApplication app;
try
{
    app = ForumApp.Build(parsed.Options);
}
catch (ForumStartException ex)
{
    Console.Error.WriteLine($"forum_api: {ex.Message}");
    return ForumCommandLine.ExitCannotStart;
}

await using (app)
{
    try
    {
        await app.StartAsync();
    }
    catch (IOException ex)
    {
        Console.Error.WriteLine($"forum_api: cannot listen on {parsed.Options.Urls} ({ex.Message}); pick a free port with --urls");
        return ForumCommandLine.ExitCannotStart;
    }

    if (ForumApp.SeedLine(app) is { } seedLine)
        Console.WriteLine(seedLine);
    Console.WriteLine(ForumApp.ListeningLine(app));
    await app.WaitForShutdownAsync();
}

return ForumCommandLine.ExitOk;
