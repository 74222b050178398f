using System.Globalization;
using System.Text;

namespace PerfTools.Shared.Text;

/// <summary>Makes text that came from the command line or the network (endpoint paths, labels, server messages) safe
/// to print, to put in a report, and to use in a file name: a control character cannot forge a line or a terminal
/// sequence, and a name cannot leave its folder.</summary>
public static class SafeText
{
    /// <summary>The longest <see cref="FileNamePart"/>: with the prefix and timestamp, well under any file system's 255.</summary>
    public const int MaxFileNamePartLength = 64;

    /// <summary><paramref name="text"/> with every character that could move the cursor, end a line or change how a
    /// terminal shows what follows written as an escape (<c>\x1B</c>, <c>\u202E</c>): C0 and C1 controls (CR, LF,
    /// ESC, NUL …), DEL, the Unicode line and paragraph separators, and the bidirectional embeddings, overrides
    /// and isolates ("Trojan Source"). Anything else is kept as it is.</summary>
    /// <param name="keepNewlines">Keep '\n' (for multi-line text printed as a whole).</param>
    public static string Printable(string text, bool keepNewlines = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !NeedsEscape(text[first], keepNewlines))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text; // the common case: nothing to escape, no copy
        }

        var safe = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(c, keepNewlines))
            {
                safe.Append(c);
            }
            else if (c <= 0xFF)
            {
                safe.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                safe.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return safe.ToString();
    }

    /// <summary>A piece of a file name that stays one name inside its folder: ASCII letters, digits, '-', '_' and
    /// '.' are kept, anything else (path separators, control characters, spaces) becomes '_', a leading '.' too (no
    /// hidden files, no <c>..</c>), cut to <see cref="MaxFileNamePartLength"/>, and never empty.</summary>
    public static string FileNamePart(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var part = new StringBuilder(Math.Min(text.Length, MaxFileNamePartLength));
        foreach (char c in text)
        {
            if (part.Length == MaxFileNamePartLength)
            {
                break;
            }

            bool kept = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && part.Length > 0);
            part.Append(kept ? c : '_');
        }

        return part.Length == 0 ? "_" : part.ToString();
    }

    /// <summary><paramref name="text"/> on one line: each line break (CR, LF, CRLF, NEL, the Unicode separators)
    /// becomes a space; nothing else changes. For a message put inside one line of the tool's own output.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ReplaceLineEndings(" ");
    }

    /// <summary>A bounded excerpt of text a server or a file sent: control characters and line breaks become spaces,
    /// runs of white space one space, trimmed, and cut to <paramref name="max"/> characters with "…" when longer;
    /// "" for null or empty.</summary>
    public static string Excerpt(string? text, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var flat = new StringBuilder(Math.Min(text.Length, max + 1));
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                space = flat.Length > 0;
                continue;
            }

            if (space)
            {
                flat.Append(' ');
                space = false;
            }

            flat.Append(c);
            if (flat.Length > max)
            {
                break;
            }
        }

        return flat.Length <= max ? flat.ToString() : flat.ToString(0, max).TrimEnd() + "…";
    }

    private static bool NeedsEscape(char c, bool keepNewlines) => c switch
    {
        '\n' => !keepNewlines,
        '\u2028' or '\u2029' => true, // line and paragraph separators
        >= '\u202A' and <= '\u202E' => true, // bidi embeddings and overrides
        >= '\u2066' and <= '\u2069' => true, // bidi isolates
        _ => char.IsControl(c),
    };
}
