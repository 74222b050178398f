namespace ForumApi;

/// <summary>The database could not be reached or set up at start; the message is one "problem; fix" sentence for stderr.</summary>
public sealed class ForumStartException(string message, Exception inner) : Exception(message, inner);
