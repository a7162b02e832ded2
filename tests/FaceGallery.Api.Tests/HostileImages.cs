using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using SkiaSharp;

namespace FaceGallery.Api.Tests;

/// <summary>Image files made to hurt a decoder: bombs, cut-off and damaged files, things that only look like images.</summary>
public static class HostileImages
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// A PNG of a few dozen bytes whose header declares <paramref name="width"/>×<paramref name="height"/>
    /// (60000×60000 would be 10.8 GB of RGB): a decoder that trusts the header before checking it allocates that.
    /// </summary>
    public static byte[] DeclaredSizeBomb(int width = 60000, int height = 60000)
    {
        using var file = new MemoryStream();
        file.Write(PngSignature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(file, "IHDR", header);
        // One deflated row of zeros: valid data, far too little of it for the declared size.
        using var row = new MemoryStream();
        using (var zlib = new ZLibStream(row, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[1 + (3 * Math.Min(width, 4096))]);
        }

        WriteChunk(file, "IDAT", row.ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>A genuine PNG of one flat colour: a small file that decodes to many pixels.</summary>
    public static byte[] FlatPng(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(90, 90, 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A real photo cut after <paramref name="fraction"/> of its bytes.</summary>
    public static byte[] Truncated(byte[] file, double fraction) => file.AsSpan(0, (int)(file.Length * fraction)).ToArray();

    /// <summary>A JPEG start-of-image marker followed by noise.</summary>
    public static byte[] CorruptJpeg()
    {
        var bytes = new byte[4096];
        new Random(17).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    /// <summary>A real photo whose middle third is overwritten with noise (header intact, entropy data damaged).</summary>
    public static byte[] Damaged(byte[] file)
    {
        var copy = file.ToArray();
        new Random(23).NextBytes(copy.AsSpan(copy.Length / 3, copy.Length / 3));
        return copy;
    }

    /// <summary>A file over <paramref name="bytes"/> long that starts like a PNG.</summary>
    public static byte[] Oversized(int bytes)
    {
        var data = new byte[bytes];
        PngSignature.CopyTo(data, 0);
        return data;
    }

    public static byte[] Text() => "name,score\nalice,1\n"u8.ToArray();

    public static byte[] Svg() => Encoding.UTF8.GetBytes(
        """<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><circle r="5000"/></svg>""");

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        file.Write(crc);
    }
}
