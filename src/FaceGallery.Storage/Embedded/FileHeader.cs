using System.Buffers.Binary;
using System.Text;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// The fixed start of the journal and the snapshot: an 8-byte magic naming file kind and format
/// version, the vector dimension and a generation number.
/// </summary>
/// <remarks>
/// Generations make compaction crash-safe: the snapshot records the journal generation it covers,
/// a new journal gets the next one, and a journal the snapshot already covers is never replayed.
/// </remarks>
internal readonly record struct FileHeader(int Dimension, long Generation)
{
    public const int Bytes = 20;

    public const string JournalMagic = "FGJRNL01";
    public const string SnapshotMagic = "FGSNAP01";

    public void Write(Stream stream, string magic)
    {
        Span<byte> header = stackalloc byte[Bytes];
        Encoding.ASCII.GetBytes(magic, header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Dimension);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], Generation);
        stream.Write(header);
    }

    public static FileHeader Read(Stream stream, string magic, string path)
    {
        Span<byte> header = stackalloc byte[Bytes];
        if (stream.ReadAtLeast(header, Bytes, throwOnEndOfStream: false) < Bytes || Encoding.ASCII.GetString(header[..8]) != magic)
        {
            throw new InvalidDataException($"'{path}' is not a FaceGallery {(magic == JournalMagic ? "journal" : "snapshot")} this version can read.");
        }

        return new FileHeader(BinaryPrimitives.ReadInt32LittleEndian(header[8..]), BinaryPrimitives.ReadInt64LittleEndian(header[12..]));
    }
}
