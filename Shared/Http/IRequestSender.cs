namespace PerfTools.Shared.Http;

/// <summary>Sends one request and measures it; <see cref="HttpLoadClient"/> over the network, fakes in tests of the
/// scheduling around it.</summary>
public interface IRequestSender
{
    /// <param name="lagMicros">How late the send is against its schedule; copied into the result so its corrected
    /// latency charges the wait.</param>
    Task<RequestResult> SendAsync(RequestSpec spec, CancellationToken ct, long lagMicros = 0);
}
