using System.Buffers.Binary;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// Reads frames one after another and stops at the first one that does not hold together, saying
/// why and where: everything before <see cref="Offset"/> is intact.
/// </summary>
internal sealed class FrameReader(Stream stream, long start)
{
    private readonly long length = stream.Length;

    /// <summary>End of the last intact frame: where the next one starts.</summary>
    public long Offset { get; private set; } = start;

    /// <summary>Why reading stopped before the end of the file, or null when it reached the end cleanly.</summary>
    public string? Problem { get; private set; }

    public bool TryRead(out byte[] payload)
    {
        payload = [];
        var remaining = length - Offset;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < JournalCodec.FrameHeaderBytes)
        {
            Problem = "incomplete frame header";
            return false;
        }

        Span<byte> header = stackalloc byte[JournalCodec.FrameHeaderBytes];
        stream.ReadExactly(header);
        var size = BinaryPrimitives.ReadInt32LittleEndian(header);
        var checksum = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (size is <= 0 or > JournalCodec.MaxPayloadBytes)
        {
            Problem = $"implausible frame length {size}";
            return false;
        }

        if (size > remaining - JournalCodec.FrameHeaderBytes)
        {
            Problem = "frame runs past the end of the file";
            return false;
        }

        var body = new byte[size];
        stream.ReadExactly(body);
        if (!JournalCodec.ChecksumMatches(body, checksum))
        {
            Problem = "checksum mismatch";
            return false;
        }

        Offset += JournalCodec.FrameHeaderBytes + size;
        payload = body;
        return true;
    }
}
