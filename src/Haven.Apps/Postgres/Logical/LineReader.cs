// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Apps.Postgres.Logical;

/// <summary>Reads lines ended by '\n' only: a carriage return inside a SQL constant is content, not a line end (StreamReader.ReadLine splits at it).</summary>
internal sealed class LineReader(TextReader reader)
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_position == _length)
            {
                _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                _position = 0;
                if (_length == 0)
                {
                    string? last = _line.Length > 0 ? _line.ToString() : null;
                    _line.Clear();
                    return last;
                }
            }

            int newline = Array.IndexOf(_buffer, '\n', _position, _length - _position);
            if (newline >= 0)
            {
                _line.Append(_buffer, _position, newline - _position);
                _position = newline + 1;
                string line = _line.ToString();
                _line.Clear();
                return line;
            }

            _line.Append(_buffer, _position, _length - _position);
            _position = _length;
        }
    }
}
