// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Backup.FileSystem;
using Haven.Format;

namespace Haven.Backup.Tests.FileSystem;

public sealed class NativeEncodingTests
{
    [Fact]
    public void Any_path_bytes_without_nul_are_passed_to_the_kernel_exactly()
    {
        Gen.Byte[1, 255].Array[0, 700].Sample(
            bytes =>
            {
                using var native = new NativePath(RawName.Decode(bytes), stackalloc byte[NativePath.StackSize]);
                Assert.Equal([.. bytes, 0], native.Bytes.ToArray());
            },
            iter: 5_000);
    }

    [Fact]
    public void Path_with_a_nul_character_is_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            using var native = new NativePath("a\0b", stackalloc byte[NativePath.StackSize]);
        });
    }

    [Fact]
    public void Device_numbers_match_glibc_makedev()
    {
        // Known answers from Python's os.makedev, which calls glibc.
        Assert.Equal(2049UL, DeviceNumber.Make(8, 1));
        Assert.Equal(17593636369545UL, DeviceNumber.Make(0x1234, 0x56789));
        Gen.Select(Gen.UInt, Gen.UInt).Sample((major, minor) =>
        {
            ulong device = DeviceNumber.Make(major, minor);
            Assert.Equal((major, minor), (DeviceNumber.Major(device), DeviceNumber.Minor(device)));
        });
    }
}
