using System.Text;

namespace PerfTools.Shared.Metrics;

/// <summary>Reads the Prometheus text exposition format (and OpenMetrics text) far enough for discovery: series names, label names, TYPE lines.</summary>
/// <remarks>Sample values and timestamps are not kept. Label values may hold <c>{</c>, <c>}</c>, <c>,</c> and escaped quotes
/// (<c>endpoint="api/orders/{id:int}"</c>), so labels are scanned, not split.</remarks>
public static class PrometheusTextParser
{
    public static MetricInventory Parse(string text)
    {
        var labels = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var types = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var reader = new StringReader(text);
        for (var line = reader.ReadLine(); line != null; line = reader.ReadLine())
        {
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[1] == "TYPE")
                {
                    types[parts[2]] = parts[3].Trim();
                }

                continue;
            }

            var (name, labelNames) = ParseSample(line);
            if (name.Length == 0)
            {
                continue;
            }

            if (labels.TryGetValue(name, out var known))
            {
                ((HashSet<string>)known).UnionWith(labelNames);
            }
            else
            {
                labels[name] = new HashSet<string>(labelNames, StringComparer.Ordinal);
            }
        }

        return new MetricInventory(labels, types);
    }

    private static (string Name, List<string> LabelNames) ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ' && line[i] != '\t')
        {
            i++;
        }

        var name = line[..i];
        var labelNames = new List<string>();
        if (i >= line.Length || line[i] != '{')
        {
            return (name, labelNames);
        }

        i++;
        while (i < line.Length && line[i] != '}')
        {
            var label = new StringBuilder();
            while (i < line.Length && line[i] != '=' && line[i] != '}')
            {
                if (line[i] != ',' && line[i] != ' ')
                {
                    label.Append(line[i]);
                }

                i++;
            }

            if (i >= line.Length || line[i] == '}')
            {
                break;
            }

            i++; // '='
            if (i < line.Length && line[i] == '"')
            {
                for (i++; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++; // \" \\ \n
                    }
                }

                i++; // closing quote
            }

            if (label.Length > 0)
            {
                labelNames.Add(label.ToString());
            }
        }

        return (name, labelNames);
    }
}
