// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Compression;

/// <summary>
/// The plaintext of snapshot, index and lock files. In v2 it is 0x02 ‖ zstd(JSON); raw JSON starting
/// with '{' or '[' is always accepted, anything else (even leading whitespace) is not.
/// </summary>
public static class UnpackedFile
{
    private const byte CompressedVersion = 0x02;

    public static byte[] Encode(ReadOnlySpan<byte> json, int repositoryVersion)
    {
        if (repositoryVersion < 2)
        {
            return json.ToArray();
        }

        byte[] frame = Zstd.Compress(json);
        var result = new byte[frame.Length + 1];
        result[0] = CompressedVersion;
        frame.CopyTo(result, 1);
        return result;
    }

    public static byte[] Decode(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.IsEmpty)
        {
            throw new InvalidDataException("empty plaintext: not supported encoding format");
        }

        return plaintext[0] switch
        {
            (byte)'{' or (byte)'[' => plaintext.ToArray(),
            CompressedVersion => Zstd.DecompressUnknownSize(plaintext[1..]),
            _ => throw new InvalidDataException($"first byte 0x{plaintext[0]:x2}: not supported encoding format"),
        };
    }
}
