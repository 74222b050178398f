namespace PerfTools.Shared.Cli;

/// <summary>Exit codes shared by the three tools; each means one thing, and the README lists them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A gate failed, the target was unreachable, or an endpoint returned only errors.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>Neither monitoring source (Prometheus, Jaeger) could be reached.</summary>
    public const int SourcesUnreachable = 3;

    /// <summary>Stopped by Ctrl+C (SIGINT), 128 + 2 as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM, 128 + 15.</summary>
    public const int Terminated = 143;
}
