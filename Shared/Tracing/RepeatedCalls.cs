namespace PerfTools.Shared.Tracing;

/// <summary>One call made again and again, one after another, under one parent span: the N+1 pattern generalised.</summary>
/// <param name="ParentSpanId">The span that made the calls.</param>
/// <param name="ParentOperation">That span's operation.</param>
/// <param name="Service">The service of the repeated spans.</param>
/// <param name="Operation">The normalised call: a SQL fingerprint, <c>GET /users/{id}</c>, or an operation name.</param>
/// <param name="Count">How many calls ran in this sequence.</param>
/// <param name="UnionMs">ms of wall-clock time the calls covered (their intervals' union).</param>
/// <param name="SpanIds">The calls' span ids, in start order.</param>
public sealed record RepeatedCalls(
    string TraceId,
    string ParentSpanId,
    string ParentOperation,
    string Service,
    string Operation,
    int Count,
    double UnionMs,
    IReadOnlyList<string> SpanIds);
