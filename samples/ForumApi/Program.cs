using ForumApi;
using Microsoft.Data.Sqlite;

// Exit codes: 0 clean stop (Ctrl+C/SIGTERM) or --help, 1 could not start (port taken, bad DB file), 2 bad command line.
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
catch (SqliteException ex)
{
    Console.Error.WriteLine($"forum_api: cannot open database '{parsed.Options.DbPath}' ({ex.Message}); pass a writable --db PATH");
    return 1;
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
        return 1;
    }

    Console.WriteLine(ForumApp.ListeningLine(app));
    await app.WaitForShutdownAsync();
}

return ForumCommandLine.ExitOk;
