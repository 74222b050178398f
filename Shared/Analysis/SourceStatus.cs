namespace PerfTools.Shared.Analysis;

/// <summary>Whether a monitoring source (Prometheus, Jaeger) answered, and what the detector learned about it.</summary>
/// <param name="State">How far the source got; every report words it from this, never from <paramref name="Message"/>.</param>
/// <param name="Api">Which API answered (Jaeger <c>v3</c> / <c>v1</c>; Prometheus its version), when known.</param>
/// <param name="Message">One line on what went wrong (why it was unreachable, how far it got before an interruption,
/// which part answered badly), when anything did.</param>
public sealed record SourceStatus(string Url, SourceState State, string? Api = null, string? Message = null)
{
    /// <summary>A source that answered (<see cref="SourceState.Reachable"/>) or did not (<see cref="SourceState.Unreachable"/>).</summary>
    public SourceStatus(string Url, bool Reachable, string? Api = null, string? Message = null)
        : this(Url, Reachable ? SourceState.Reachable : SourceState.Unreachable, Api, Message)
    {
    }

    /// <summary>It answered, at least in part: the <c>reachable</c> of the findings report.</summary>
    public bool Reachable => State is SourceState.Reachable or SourceState.Interrupted;

    /// <summary>It answered and the run went to the end: every rule of this source looked for findings.</summary>
    public bool Complete => State == SourceState.Reachable;
}

/// <summary>How far a monitoring source got in one detector run.</summary>
public enum SourceState
{
    /// <summary>It answered, and every rule over it ran.</summary>
    Reachable,

    /// <summary>It could not be asked: refused, not found, timed out, or answered with something that is not its API.</summary>
    Unreachable,

    /// <summary>It answered, but the run was stopped (Ctrl+C, SIGTERM) before every rule over it ran.</summary>
    Interrupted,

    /// <summary>The run was stopped before it answered at all.</summary>
    InterruptedBeforeAnswer,

    /// <summary>Its analysis threw (a bug, or an answer no rule expected); its findings are lost, the other source's kept.</summary>
    AnalysisFailed,
}
