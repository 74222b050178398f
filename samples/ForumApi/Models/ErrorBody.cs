namespace ForumApi.Models;

/// <summary>Every 4xx/5xx body: one sentence saying what is wrong, never a stack trace.</summary>
public sealed record ErrorBody(string Error);
