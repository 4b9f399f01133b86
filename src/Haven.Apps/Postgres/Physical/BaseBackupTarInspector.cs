// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// Passes pg_basebackup's tar stream through unchanged while reading its headers, and keeps the few
/// small members a base backup is described by: backup_label, PG_VERSION, the start of
/// global/pg_control, the tail of backup_manifest (its WAL-Ranges come last) and the size of a
/// pg_wal segment. pg_basebackup writes plain ustar headers (names under 100 bytes), so sizes are
/// octal, or base-256 for members over 8 GB.
/// </summary>
internal sealed class BaseBackupTarInspector(Stream inner) : ForwardOnlyStream(inner)
{
    private const int BlockSize = 512;
    private const int ManifestTailSize = 1 << 20;

    private readonly byte[] _header = new byte[BlockSize];
    private int _headerFilled;
    private long _remaining;
    private long _padding;
    private string? _member;
    private MemoryStream? _capture;

    public long BytesRead { get; private set; }

    public Dictionary<string, byte[]> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>The size of the first pg_wal segment in the tar (the cluster's wal_segment_size), or 0.</summary>
    public long WalSegmentSize { get; private set; }

    protected override void OnRead(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        while (!data.IsEmpty)
        {
            if (_remaining > 0)
            {
                int take = (int)Math.Min(_remaining, data.Length);
                Capture(data[..take]);
                _remaining -= take;
                data = data[take..];
                if (_remaining == 0)
                {
                    EndMember();
                }

                continue;
            }

            if (_padding > 0)
            {
                int skip = (int)Math.Min(_padding, data.Length);
                _padding -= skip;
                data = data[skip..];
                continue;
            }

            int fill = Math.Min(BlockSize - _headerFilled, data.Length);
            data[..fill].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += fill;
            data = data[fill..];
            if (_headerFilled == BlockSize)
            {
                _headerFilled = 0;
                StartMember();
            }
        }
    }

    private void StartMember()
    {
        if (_header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return;
        }

        string name = Text(_header.AsSpan(0, 100));
        string prefix = Text(_header.AsSpan(345, 155));
        _member = (prefix.Length > 0 ? prefix + "/" + name : name).TrimStart('.', '/');
        _remaining = Size(_header.AsSpan(124, 12));
        _padding = (BlockSize - (_remaining % BlockSize)) % BlockSize;
        bool isFile = _header[156] is (byte)'0' or 0;
        if (isFile && _member.StartsWith("pg_wal/", StringComparison.Ordinal) && WalSegmentSize == 0 && WalFileName.TryParse(_member[7..], out var wal) && wal.Kind == WalFileKind.Segment)
        {
            WalSegmentSize = _remaining;
        }

        _capture = isFile && _member is "backup_label" or "PG_VERSION" or "global/pg_control" or "backup_manifest" ? new MemoryStream() : null;
        if (_remaining == 0)
        {
            EndMember();
        }
    }

    private void Capture(ReadOnlySpan<byte> data)
    {
        if (_capture is null)
        {
            return;
        }

        _capture.Write(data);
        if (_capture.Length > 2 * ManifestTailSize)
        {
            // Only the tail of a large backup_manifest matters: keep the last ManifestTailSize bytes.
            byte[] tail = _capture.GetBuffer().AsSpan((int)_capture.Length - ManifestTailSize, ManifestTailSize).ToArray();
            _capture = new MemoryStream();
            _capture.Write(tail);
        }
    }

    private void EndMember()
    {
        if (_capture is not null && _member is not null)
        {
            Members[_member] = _capture.ToArray();
        }

        _capture = null;
        _member = null;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static long Size(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = 0;
            foreach (byte b in field[1..])
            {
                value = (value << 8) | b;
            }

            return value;
        }

        string octal = Text(field).Trim(' ', '\0');
        return octal.Length == 0 ? 0 : Convert.ToInt64(octal, 8);
    }
}
