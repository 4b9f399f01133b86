// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Trees;

/// <summary>
/// Go's os.FileMode bits, which restic stores in a node's "mode", and their mapping to POSIX st_mode.
/// </summary>
public static class FileModes
{
    public const uint Dir = 0x80000000;
    public const uint Symlink = 0x08000000;
    public const uint Device = 0x04000000;
    public const uint NamedPipe = 0x02000000;
    public const uint Socket = 0x01000000;
    public const uint Setuid = 0x00800000;
    public const uint Setgid = 0x00400000;
    public const uint CharDevice = 0x00200000;
    public const uint Sticky = 0x00100000;
    public const uint Irregular = 0x00080000;
    public const uint Permissions = 0x1FF;

    /// <summary>What restic keeps of a mode: permissions, type bits and setuid/setgid/sticky.</summary>
    public const uint StoredMask = 0x8FF801FF;

    private const uint PosixTypeMask = 0xF000;

    /// <summary>Converts a POSIX st_mode to the Go FileMode restic stores (never Irregular).</summary>
    public static uint GoModeFromPosix(uint stMode)
    {
        uint mode = stMode & Permissions;
        mode |= (stMode & PosixTypeMask) switch
        {
            0x4000 => Dir,
            0xA000 => Symlink,
            0x6000 => Device,
            0x2000 => Device | CharDevice,
            0x1000 => NamedPipe,
            0xC000 => Socket,
            _ => 0,
        };

        if ((stMode & 0x800) != 0)
        {
            mode |= Setuid;
        }

        if ((stMode & 0x400) != 0)
        {
            mode |= Setgid;
        }

        if ((stMode & 0x200) != 0)
        {
            mode |= Sticky;
        }

        return mode;
    }

    /// <summary>The chmod bits (permissions plus setuid 04000, setgid 02000, sticky 01000) of a Go mode.</summary>
    public static uint PosixPermissionsFromGoMode(uint goMode)
    {
        uint bits = goMode & Permissions;
        if ((goMode & Setuid) != 0)
        {
            bits |= 0x800;
        }

        if ((goMode & Setgid) != 0)
        {
            bits |= 0x400;
        }

        if ((goMode & Sticky) != 0)
        {
            bits |= 0x200;
        }

        return bits;
    }
}
