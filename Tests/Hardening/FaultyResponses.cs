using System.Globalization;
using System.Text;
using PerfTools.Tests.Http;

namespace PerfTools.Tests.Hardening;

/// <summary>Handlers for <see cref="LoopbackServer"/> that misbehave the way real servers and proxies do: trickle,
/// reset, send a huge or endless body, huge or malformed headers, HTML or truncated JSON, redirects.</summary>
internal static class FaultyResponses
{
    /// <summary>A host that never resolves (RFC 6761 reserves <c>.invalid</c>).</summary>
    public const string UnresolvableBaseUrl = "http://perftools-hardening.invalid/";

    public const int TenMegabytes = 10 * 1024 * 1024;

    private static readonly byte[] Filler = Enumerable.Repeat((byte)'x', 64 * 1024).ToArray();

    /// <summary>Sends <paramref name="response"/> one byte every <paramref name="every"/>, status line included,
    /// until done or the client gives up.</summary>
    public static Func<LoopbackContext, Task> Trickle(TimeSpan every, string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") =>
        async ctx =>
        {
            foreach (byte b in Encoding.ASCII.GetBytes(response))
            {
                await ctx.WriteAsync([b]);
                await Task.Delay(every, ctx.Aborted);
            }
        };

    /// <summary>Headers at once, then the body one byte every <paramref name="every"/>.</summary>
    public static Func<LoopbackContext, Task> TrickleBody(TimeSpan every, int length = 1000) =>
        async ctx =>
        {
            await ctx.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n"));
            for (int i = 0; i < length; i++)
            {
                await ctx.WriteAsync("x"u8.ToArray());
                await Task.Delay(every, ctx.Aborted);
            }
        };

    /// <summary>A 200 whose body is <paramref name="prefix"/>, then <c>x</c> up to <paramref name="length"/> bytes in
    /// all, then <paramref name="suffix"/>, written from one reused buffer so the server allocates next to nothing.
    /// Without <paramref name="declareLength"/> the body is chunked, so only counting reveals its size.</summary>
    public static Func<LoopbackContext, Task> LargeBody(
        long length, string prefix = "", string suffix = "", bool declareLength = true, string contentType = "text/plain") =>
        async ctx =>
        {
            byte[] head = Encoding.ASCII.GetBytes(prefix);
            byte[] tail = Encoding.ASCII.GetBytes(suffix);
            long fill = length - head.Length - tail.Length;
            string framing = declareLength
                ? string.Create(CultureInfo.InvariantCulture, $"Content-Length: {length}")
                : "Transfer-Encoding: chunked";
            await ctx.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\n{framing}\r\n\r\n");
            await WritePartAsync(ctx, head, head.Length, declareLength);
            while (fill > 0)
            {
                int n = (int)Math.Min(fill, Filler.Length);
                await WritePartAsync(ctx, Filler, n, declareLength);
                fill -= n;
            }

            await WritePartAsync(ctx, tail, tail.Length, declareLength);
            if (!declareLength)
            {
                await ctx.WriteAsync("0\r\n\r\n");
            }
        };

    /// <summary>Headers above .NET's 64 KiB limit.</summary>
    public static Task HugeHeaders(LoopbackContext ctx) =>
        ctx.WriteAsync($"HTTP/1.1 200 OK\r\nX-Padding: {new string('a', 70 * 1024)}\r\nContent-Length: 2\r\n\r\nok");

    /// <summary>A header line without a colon: not HTTP.</summary>
    public static Task MalformedHeader(LoopbackContext ctx) =>
        ctx.WriteAsync("HTTP/1.1 200 OK\r\nthis line is not a header\r\nContent-Length: 2\r\n\r\nok");

    /// <summary>A Content-Length that is not a number.</summary>
    public static Task MalformedContentLength(LoopbackContext ctx) =>
        ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\nok");

    /// <summary>Headers and part of the body, then a TCP reset.</summary>
    public static async Task ResetMidBody(LoopbackContext ctx)
    {
        await ctx.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{\"data\":[");
        await Task.Delay(20, ctx.Aborted); // let the headers arrive first
        ctx.Reset();
    }

    /// <summary>A redirect to <paramref name="location"/> (absolute or relative).</summary>
    public static Task Redirect(LoopbackContext ctx, string location, int status = 302) =>
        ctx.RespondAsync(status, "", ("Location", location));

    private static async Task WritePartAsync(LoopbackContext ctx, byte[] buffer, int count, bool raw)
    {
        if (count == 0)
        {
            return;
        }

        if (!raw)
        {
            await ctx.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{count:x}\r\n"));
        }

        await ctx.Stream.WriteAsync(buffer.AsMemory(0, count), ctx.Aborted);
        if (!raw)
        {
            await ctx.WriteAsync("\r\n");
        }
    }
}
