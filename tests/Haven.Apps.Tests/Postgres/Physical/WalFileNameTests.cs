// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Postgres.Physical;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>The names archive_command is given, and WAL positions, parsed as PostgreSQL writes them.</summary>
public sealed class WalFileNameTests
{
    private const long SegmentSize = 16 << 20;

    [Theory]
    [InlineData("000000010000000A000000FE", WalFileKind.Segment, 1u, "000000010000000A")]
    [InlineData("00000002.history", WalFileKind.History, 2u, "history")]
    [InlineData("000000010000000000000002.00000028.backup", WalFileKind.Backup, 1u, "0000000100000000")]
    [InlineData("000000010000000000000005.partial", WalFileKind.Partial, 1u, "0000000100000000")]
    public void Archived_file_names_parse_into_kind_timeline_and_folder(string name, WalFileKind kind, uint timeline, string folder)
    {
        var parsed = WalFileName.Parse(name);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(timeline, parsed.Timeline);
        Assert.Equal(folder, parsed.Folder);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000001000000000000000")]
    [InlineData("00000001000000000000000g")]
    [InlineData("000000010000000000000002.backup")]
    [InlineData("archive_status")]
    [InlineData("00000001.History")]
    public void Other_names_are_refused(string name) => Assert.False(WalFileName.TryParse(name, out _));

    [Fact]
    public void Segment_numbers_positions_and_names_agree()
    {
        var name = WalFileName.Parse("000000010000000A000000FE");
        Assert.Equal((10UL * 256) + 254, name.SegmentNumber(SegmentSize));
        Assert.Equal(Lsn.Parse("A/FE000000"), name.Start(SegmentSize));
        Assert.Equal("000000010000000A000000FE", WalFileName.SegmentName(1, name.SegmentNumber(SegmentSize), SegmentSize));
    }

    [Theory]
    [InlineData("0/3000148", 0x3000148UL)]
    [InlineData("A/FE000000", 0xAFE000000UL)]
    [InlineData("FFFFFFFF/FFFFFFFF", ulong.MaxValue)]
    public void Positions_parse_and_print_as_postgresql_writes_them(string text, ulong value)
    {
        Assert.Equal(value, Lsn.Parse(text).Value);
        Assert.Equal(text, new Lsn(value).ToString());
    }

    [Theory]
    [InlineData("3000148")]
    [InlineData("/1")]
    [InlineData("1/")]
    [InlineData("1/2/3")]
    [InlineData("123456789/0")]
    public void Malformed_positions_are_refused(string text) => Assert.False(Lsn.TryParse(text, out _));
}
