namespace ForumApi;

/// <summary>The outcome of reading the command line: options to run with, a request for help, or one error line.</summary>
internal sealed record ParsedCommandLine(ForumOptions Options, bool ShowHelp = false, string? Error = null);
