// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Output;

/// <summary>A plain-text table with a header and rules, sized to its content, as restic prints listings.</summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] header)
    {
        _header = header;
    }

    public void Add(params string[] row) => _rows.Add(row);

    public IEnumerable<string> Render()
    {
        var widths = _header.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        string Format(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        string rule = new('-', widths.Sum() + (2 * (widths.Length - 1)));
        yield return Format(_header);
        yield return rule;
        foreach (var row in _rows)
        {
            yield return Format(row);
        }

        yield return rule;
    }
}
