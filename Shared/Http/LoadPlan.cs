namespace PerfTools.Shared.Http;

/// <summary>How a <see cref="LoadRunner"/> paces its work.</summary>
/// <param name="Pacer">The schedule (open model), or null for the closed model: <paramref name="MaxInFlight"/> workers
/// sending back to back until <paramref name="Duration"/> has passed.</param>
/// <param name="Duration">How long sends are started for.</param>
/// <param name="MaxInFlight">Work items running at once; a due item waits for a slot and is charged that wait.</param>
public sealed record LoadPlan(ConstantPacer? Pacer, TimeSpan Duration, int MaxInFlight)
{
    /// <summary>An open model at <paramref name="ratePerSecond"/>, or the closed model when it is 0.</summary>
    public static LoadPlan ForRate(int ratePerSecond, TimeSpan duration, int maxInFlight) => new(
        ratePerSecond > 0 ? ConstantPacer.PerSecond(ratePerSecond, duration) : null, duration, maxInFlight);

    /// <summary>This plan's shard <paramref name="index"/> of <paramref name="count"/> (see
    /// <see cref="ConstantPacer.ForShard"/>); the closed model has no schedule to share and is returned as it is.</summary>
    public LoadPlan Shard(int index, int count, TimeSpan offset) =>
        Pacer is null ? this : this with { Pacer = Pacer.ForShard(index, count, offset) };
}
