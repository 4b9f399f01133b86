// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Trees;

namespace Haven.Format.Tests.Trees;

public class FileModesTests
{
    [Theory]
    [InlineData(0x41EDu, 2147484141u)] // dir 0755 (verified)
    [InlineData(0x81A4u, 420u)] // file 0644 (verified)
    [InlineData(0x89EDu, 8389101u)] // setuid 0755 (verified)
    [InlineData(0xA1FFu, 134218239u)] // symlink 0777 (verified)
    [InlineData(0x11A4u, 33554852u)] // fifo 0644 (verified)
    [InlineData(0x21B6u, 69206454u)] // chardev 0666
    [InlineData(0x61B0u, 67109296u)] // blockdev 0660
    [InlineData(0xC1EDu, 16777709u)] // socket 0755
    [InlineData(0x43FFu, 2148532735u)] // sticky dir 1777
    public void Maps_posix_modes_to_restics_values(uint stMode, uint goMode)
    {
        Assert.Equal(goMode, FileModes.GoModeFromPosix(stMode));
        Assert.Equal(stMode & 0xFFF, FileModes.PosixPermissionsFromGoMode(goMode));
        Assert.Equal(goMode, goMode & FileModes.StoredMask);
    }

    [Fact]
    public void Setgid_maps_both_ways()
    {
        Assert.Equal(FileModes.Setgid | 0x1EDu, FileModes.GoModeFromPosix(0x85EDu));
        Assert.Equal(0x5EDu, FileModes.PosixPermissionsFromGoMode(FileModes.Setgid | 0x1EDu));
    }
}
