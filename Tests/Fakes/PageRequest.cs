namespace PerfTools.Tests.Fakes;

/// <summary>One request a page made in <see cref="HeadlessChromium"/> (the document itself included), from the
/// DevTools Network events.</summary>
/// <param name="Url">As requested; <c>data:</c> URLs are cut after 64 characters.</param>
/// <param name="ResourceType">Chromium's type: <c>Document</c>, <c>Image</c>, <c>Stylesheet</c>, <c>Script</c>, …</param>
/// <param name="Status">The HTTP status of the answer, when one came (file: and data: answers count as 200).</param>
/// <param name="Failure">Why it failed (<c>Network.loadingFailed</c>: <c>net::ERR_FILE_NOT_FOUND</c>, <c>blocked: csp</c>, …), else null.</param>
public sealed record PageRequest(string Url, string? ResourceType, int? Status, string? Failure)
{
    /// <summary>Failed to load, or answered with an HTTP status of 400 or more.</summary>
    public bool Failed => Failure is not null || Status >= 400;

    public override string ToString() => $"{ResourceType} {Url} → {(Failure is not null ? Failure : Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer")}";
}
