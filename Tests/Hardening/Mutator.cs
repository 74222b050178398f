using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PerfTools.Shared.Tracing;

namespace PerfTools.Tests.Hardening;

/// <summary>Seeded random damage to a recorded input, the way real answers go wrong: bytes flipped, lost, repeated or cut
/// off, invalid UTF-8, and, where the input is JSON, values of the wrong type, absurd numbers, deep nesting and renamed keys;
/// and to a parsed trace, the way broken instrumentation goes wrong.</summary>
/// <remarks>Everything comes from one <see cref="Random"/> with a fixed seed, so a run is reproduced by its seed alone.</remarks>
internal sealed class Mutator
{
    // Bytes that change how a JSON, CSV or exposition text is read.
    private static readonly byte[] InterestingBytes = "\"\\{}[],:=\n\r\t -+.0e#"u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0xFF }).ToArray();

    // Short texts inserted or swapped in at token boundaries.
    private static readonly string[] InterestingTokens =
    [
        "", "\"", "\"\"", ",", ",,", "\r\n", "\n", "{", "}", "[", "]", "null", "true", "-", "0", "-1", "NaN", "+Inf", "-Inf", "Inf",
        "Infinity", "1e999", "-1e999", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "4.9e-324",
        "0x1F", "1,5", "٣", "∞", "\\u0000", "\\ud800", "<html>", "# TYPE x counter", "a=\"", "{le=\"+Inf\"}",
    ];

    // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong '/', an encoded surrogate, bytes never valid.
    private static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFE], [0xFF, 0xFF], [0xF4, 0x90, 0x80, 0x80],
    ];

    // Raw JSON put where a value was: every other type, numbers no double or long holds, and the strings Prometheus uses for them.
    private static readonly string[] RawValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "[]", "[1,\"x\",null]", "{}", "{\"a\":1}", "\"\"", "\"x\"",
        "1e400", "-1e400", "1e-400", "-0", "9223372036854775807", "-9223372036854775808", "4611686018427387904", "1e18",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "123456789012345678901234567890", "NaN", "Infinity", "-Infinity",
        "\"NaN\"", "\"Inf\"", "\"+Inf\"", "\"-Inf\"", "\"1e999\"", "\"-9223372036854775809\"", "\" 12 \"", "\"0x10\"", "\"١٢\"",
        "\"\\ud800\"", "\"\\u0000\"", "\"line\\nbreak\"", "\"<html>\"", "\"2026-11-25T12:00:00Z\"",
    ];

    private static readonly int[] NestingDepths = [2, 10, 63, 64, 65, 200, 5000];

    private const string DuplicateKeyPlaceholder = "__mutator_duplicate_key__";

    private readonly Random _random;

    public Mutator(int seed) => _random = new Random(seed);

    /// <summary>A number in [0, max), from the same seeded sequence, for choices the caller makes (which fixture, which call).</summary>
    public int Next(int max) => _random.Next(max);

    /// <summary>One to three mutations stacked on <paramref name="input"/>; Steps names them in order, for a failure message.</summary>
    public (byte[] Bytes, string Steps) Mutate(byte[] input)
    {
        var bytes = input;
        var steps = new List<string>();
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            // Half the time a change of structure, where the text is JSON: byte damage alone mostly gives "not JSON",
            // which tests little beyond the JSON reader.
            var (next, step) = _random.Next(2) == 0 && TryParseJson(bytes) is { } json
                ? MutateJson(json)
                : MutateBytes(bytes);
            bytes = next;
            steps.Add(step);
        }

        return (bytes, string.Join(" + ", steps));
    }

    /// <summary>
    /// The trace with a few spans scrambled the ways broken instrumentation scrambles them: a span its own parent, a parent
    /// that makes a cycle or is missing, a duplicated id, a negative or absurdly long duration, a start far off.
    /// </summary>
    public (Trace Trace, string Steps) Rewire(Trace trace)
    {
        if (trace.Spans.Count == 0)
        {
            return (trace, "nothing to rewire");
        }

        var spans = trace.Spans.ToList();
        var ids = spans.Select(s => s.SpanId).ToList();
        var steps = new List<string>();
        var changes = 1 + _random.Next(Math.Min(spans.Count, 8));
        for (var i = 0; i < changes; i++)
        {
            var at = _random.Next(spans.Count);
            var span = spans[at];
            var other = ids[_random.Next(ids.Count)];
            (spans[at], var step) = _random.Next(8) switch
            {
                0 => (span with { ParentSpanId = span.SpanId }, "own parent"),
                1 => (span with { ParentSpanId = other }, $"parent {other}"),
                2 => (span with { ParentSpanId = "00000000deadbeef" }, "missing parent"),
                3 => (span with { ParentSpanId = null }, "no parent"),
                4 => (span with { SpanId = other }, $"id {other}"),
                5 => (span with { DurationMicros = -span.DurationMicros - 1 }, "negative duration"),
                6 => (span with { DurationMicros = long.MaxValue / (1 + _random.Next(3)) }, "huge duration"),
                _ => (span with { StartMicros = _random.Next(2) == 0 ? 0 : long.MaxValue / 2 }, "start far off"),
            };
            steps.Add($"span {at}: {step}");
        }

        return (new Trace(trace.TraceId, spans), string.Join(", ", steps));
    }

    private (byte[], string) MutateBytes(byte[] input)
    {
        var b = new List<byte>(input);
        var at = b.Count == 0 ? 0 : _random.Next(b.Count);
        switch (_random.Next(11))
        {
            case 0:
                if (b.Count == 0)
                {
                    goto case 3;
                }

                var flips = 1 + _random.Next(4);
                for (var i = 0; i < flips; i++)
                {
                    var p = _random.Next(b.Count);
                    b[p] ^= (byte)(1 << _random.Next(8));
                }

                return (b.ToArray(), $"flip {flips} bit(s)");
            case 1:
                if (b.Count == 0)
                {
                    goto case 3;
                }

                var value = InterestingBytes[_random.Next(InterestingBytes.Length)];
                b[at] = value;
                return (b.ToArray(), $"byte {at} = 0x{value:X2}");
            case 2:
                var length = Math.Min(b.Count - at, 1 + _random.Next(_random.Next(2) == 0 ? 8 : 256));
                b.RemoveRange(at, length);
                return (b.ToArray(), $"delete {length} at {at}");
            case 3:
                var token = InterestingTokens[_random.Next(InterestingTokens.Length)];
                b.InsertRange(at, Encoding.UTF8.GetBytes(token));
                return (b.ToArray(), $"insert '{token}' at {at}");
            case 4:
                return (b.Take(at).ToArray(), $"truncate at {at}");
            case 5:
                var spanLength = Math.Min(b.Count - at, 1 + _random.Next(512));
                var copy = b.GetRange(at, spanLength);
                var to = _random.Next(b.Count + 1);
                b.InsertRange(to, copy);
                return (b.ToArray(), $"duplicate {spanLength} from {at} to {to}");
            case 6:
                var invalid = InvalidUtf8[_random.Next(InvalidUtf8.Length)];
                b.InsertRange(at, invalid);
                return (b.ToArray(), $"invalid UTF-8 {Convert.ToHexString(invalid)} at {at}");
            case 7:
            case 8:
                return ReplaceToken(b, at);
            case 9:
                // A stray byte order mark or leading whitespace, as some proxies and editors add.
                var prefix = _random.Next(2) == 0 ? new byte[] { 0xEF, 0xBB, 0xBF } : "\r\n  "u8.ToArray();
                return (prefix.Concat(b).ToArray(), prefix[0] == 0xEF ? "BOM" : "leading whitespace");
            default:
                return _random.Next(4) == 0 ? ([], "empty") : ("   \n"u8.ToArray(), "whitespace only");
        }
    }

    /// <summary>Replaces the token around <paramref name="at"/> (between delimiters of JSON, CSV or the text format) with an odd one.</summary>
    private (byte[], string) ReplaceToken(List<byte> b, int at)
    {
        static bool IsDelimiter(byte c) => c is (byte)',' or (byte)':' or (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)'"'
            or (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t' or (byte)'=';

        var start = at;
        while (start > 0 && !IsDelimiter(b[start - 1]))
        {
            start--;
        }

        var end = at;
        while (end < b.Count && !IsDelimiter(b[end]))
        {
            end++;
        }

        var token = InterestingTokens[_random.Next(InterestingTokens.Length)];
        b.RemoveRange(start, end - start);
        b.InsertRange(start, Encoding.UTF8.GetBytes(token));
        return (b.ToArray(), $"token at {start} = '{token}'");
    }

    private (byte[], string) MutateJson(JToken root)
    {
        var tokens = AllTokens(root).Where(t => t is not JProperty).ToList();
        var target = tokens[_random.Next(tokens.Count)];
        var path = target.Path.Length == 0 ? "$" : target.Path;
        string step;
        switch (_random.Next(9))
        {
            case 0:
            case 1:
                var raw = RawValues[_random.Next(RawValues.Length)];
                root = Replace(root, target, new JRaw(raw));
                step = $"{path} = {raw}";
                break;
            case 2:
                var depth = NestingDepths[_random.Next(NestingDepths.Length)];
                var nested = _random.Next(2) == 0
                    ? string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth))
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + string.Concat(Enumerable.Repeat("}", depth));
                root = Replace(root, target, new JRaw(nested));
                step = $"{path} = nested {depth} deep";
                break;
            case 3:
                // Another value of the same document: ids pointing at other spans (cycles, self-parents), times swapped.
                var other = tokens[_random.Next(tokens.Count)];
                var otherPath = other.Path.Length == 0 ? "$" : other.Path;
                root = Replace(root, target, other.DeepClone());
                step = $"{path} = copy of {otherPath}";
                break;
            case 4:
                var properties = AllTokens(root).OfType<JProperty>().ToList();
                if (properties.Count == 0)
                {
                    goto case 0;
                }

                var property = properties[_random.Next(properties.Count)];
                var name = _random.Next(4) switch
                {
                    0 => properties[_random.Next(properties.Count)].Name, // moves a key elsewhere, or repeats one
                    1 => property.Name.ToUpperInvariant(),
                    2 => "",
                    _ => property.Name + "_x",
                };
                step = $"key {property.Path} -> '{name}'";
                if (property.Parent is JObject siblings && siblings.Property(name, StringComparison.Ordinal) is { } clash && clash != property)
                {
                    // JObject refuses a second property of one name; the text may well have one, so it is spliced in after writing.
                    property.Replace(new JProperty(DuplicateKeyPlaceholder, property.Value));
                    var spliced = root.ToString(Formatting.None).Replace(
                        JsonConvert.ToString(DuplicateKeyPlaceholder), JsonConvert.ToString(name), StringComparison.Ordinal);
                    return (Encoding.UTF8.GetBytes(spliced), step + " (duplicate key)");
                }

                property.Replace(new JProperty(name, property.Value));
                break;
            case 5:
                if (target.Parent is null)
                {
                    goto case 0;
                }

                step = $"remove {path}";
                if (target.Parent is JProperty owner)
                {
                    owner.Remove();
                }
                else
                {
                    target.Remove();
                }

                break;
            case 6:
                if (target.Parent is not JArray)
                {
                    goto case 3;
                }

                // The same span (or sample) many times over: duplicate ids.
                var times = 1 + _random.Next(_random.Next(4) == 0 ? 200 : 3);
                if (times > 3)
                {
                    // Many copies of a small span, not of a whole trace: a document of tens of MB would only cost time.
                    times = Math.Min(times, Math.Max(3, 1_000_000 / target.ToString(Formatting.None).Length));
                }

                for (var i = 0; i < times; i++)
                {
                    target.AddAfterSelf(target.DeepClone());
                }

                step = $"repeat {path} x{times}";
                break;
            case 7:
                if (target is JValue { Type: JTokenType.Integer or JTokenType.Float } number)
                {
                    var negated = number.Type == JTokenType.Integer ? (JToken)new JRaw("-" + number.ToString(Formatting.None).TrimStart('-')) : new JValue(-(double)number!);
                    root = Replace(root, target, negated);
                    step = $"{path} made negative";
                    break;
                }

                if (target is JValue { Type: JTokenType.String } text && long.TryParse((string?)text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                {
                    // ns timestamps as OTLP sends them: an end before the start.
                    root = Replace(root, target, new JValue((-n).ToString(CultureInfo.InvariantCulture)));
                    step = $"{path} negated";
                    break;
                }

                goto case 0;
            default:
                var odd = _random.Next(3) switch
                {
                    0 => new string('x', 20_000),
                    1 => "\u0001\u001b[31m\u2028",
                    _ => "%00../../etc/passwd",
                };
                root = Replace(root, target, new JValue(odd));
                step = $"{path} = odd string ({odd.Length} chars)";
                break;
        }

        return (Encoding.UTF8.GetBytes(root.ToString(Formatting.None)), step);
    }

    private static IEnumerable<JToken> AllTokens(JToken root) => root is JContainer container ? container.DescendantsAndSelf() : [root];

    private static JToken Replace(JToken root, JToken target, JToken replacement)
    {
        if (ReferenceEquals(root, target))
        {
            return replacement;
        }

        target.Replace(replacement);
        return root;
    }

    private static JToken? TryParseJson(byte[] bytes)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(bytes)))
            {
                DateParseHandling = DateParseHandling.None,
            };
            return JToken.Load(reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
