using System.Buffers.Binary;
using System.IO.Hashing;
using FaceGallery.Contracts;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// Binary form of <see cref="JournalRecord"/>s and their framing: <c>[int32 length][uint32 CRC-32][payload]</c>,
/// little-endian. A frame whose length or checksum does not hold is where a crash tore the file.
/// </summary>
internal static class JournalCodec
{
    public const int FrameHeaderBytes = 8;

    /// <summary>Far above any real batch, low enough that a torn length field is never trusted.</summary>
    public const int MaxPayloadBytes = 256 * 1024 * 1024;

    private enum Kind : byte
    {
        IdentityUpserted = 1,
        SamplesAppended = 2,
        SampleRemoved = 3,
        IdentityDeleted = 4,
        DescriptorSaved = 5,
        DescriptorDeleted = 6,
        IdentityRestored = 7,
        SnapshotEnd = 255,
    }

    /// <summary>The framed bytes of one record, ready to append.</summary>
    public static byte[] Frame(JournalRecord record) => Frame(Encode(record));

    /// <summary>The marker that closes a complete snapshot.</summary>
    public static byte[] SnapshotEndFrame(int records)
    {
        var payload = new byte[5];
        payload[0] = (byte)Kind.SnapshotEnd;
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(1), records);
        return Frame(payload);
    }

    public static bool IsSnapshotEnd(ReadOnlySpan<byte> payload, out int records)
    {
        records = payload.Length == 5 && payload[0] == (byte)Kind.SnapshotEnd ? BinaryPrimitives.ReadInt32LittleEndian(payload[1..]) : -1;
        return records >= 0;
    }

    public static bool ChecksumMatches(ReadOnlySpan<byte> payload, uint expected) => Crc32.HashToUInt32(payload) == expected;

    public static byte[] Encode(JournalRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            switch (record)
            {
                case IdentityUpserted r:
                    WriteHead(writer, Kind.IdentityUpserted, r.Key);
                    WriteNullable(writer, r.DisplayName);
                    WriteNullable(writer, r.MetadataJson);
                    writer.Write(r.At.UtcTicks);
                    break;
                case SamplesAppended r:
                    WriteHead(writer, Kind.SamplesAppended, r.Key);
                    writer.Write(r.Revision);
                    writer.Write(r.At.UtcTicks);
                    writer.Write(r.Samples.Count);
                    foreach (var sample in r.Samples)
                    {
                        writer.Write(sample.SampleId);
                        WriteVector(writer, sample.Embedding);
                        writer.Write(sample.Quality);
                        writer.Write(sample.ModelId);
                        WriteNullable(writer, sample.ContentHash);
                        writer.Write(sample.CreatedAt.UtcTicks);
                    }

                    break;
                case SampleRemoved r:
                    WriteHead(writer, Kind.SampleRemoved, r.Key);
                    writer.Write(r.SampleId);
                    writer.Write(r.Revision);
                    writer.Write(r.At.UtcTicks);
                    break;
                case IdentityDeleted r:
                    WriteHead(writer, Kind.IdentityDeleted, r.Key);
                    break;
                case DescriptorSaved r:
                    WriteHead(writer, Kind.DescriptorSaved, r.Key);
                    WriteVector(writer, r.Descriptor.Vector);
                    writer.Write(r.Descriptor.Version);
                    writer.Write(r.Descriptor.SampleCount);
                    writer.Write(r.Descriptor.Coreset.Count);
                    foreach (var id in r.Descriptor.Coreset)
                    {
                        writer.Write(id);
                    }

                    writer.Write(r.Descriptor.AggregatorId);
                    writer.Write(r.Descriptor.UpdatedAt.UtcTicks);
                    break;
                case DescriptorDeleted r:
                    WriteHead(writer, Kind.DescriptorDeleted, r.Key);
                    break;
                case IdentityRestored r:
                    WriteHead(writer, Kind.IdentityRestored, r.Key);
                    WriteNullable(writer, r.DisplayName);
                    WriteNullable(writer, r.MetadataJson);
                    writer.Write(r.Revision);
                    writer.Write(r.CreatedAt.UtcTicks);
                    writer.Write(r.UpdatedAt.UtcTicks);
                    break;
                default:
                    throw new ArgumentException($"Unknown journal record {record.GetType().Name}.", nameof(record));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Decodes a payload whose checksum held; an unknown kind means a newer format and is an error.</summary>
    public static JournalRecord Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
        var kind = (Kind)reader.ReadByte();
        var key = new IdentityKey(reader.ReadString(), reader.ReadString());
        JournalRecord record = kind switch
        {
            Kind.IdentityUpserted => new IdentityUpserted(key, ReadNullable(reader), ReadNullable(reader), ReadTime(reader)),
            Kind.SamplesAppended => ReadSamplesAppended(reader, key),
            Kind.SampleRemoved => new SampleRemoved(key, reader.ReadString(), reader.ReadInt64(), ReadTime(reader)),
            Kind.IdentityDeleted => new IdentityDeleted(key),
            Kind.DescriptorSaved => ReadDescriptorSaved(reader, key),
            Kind.DescriptorDeleted => new DescriptorDeleted(key),
            Kind.IdentityRestored => new IdentityRestored(key, ReadNullable(reader), ReadNullable(reader), reader.ReadInt64(), ReadTime(reader), ReadTime(reader)),
            _ => throw new InvalidDataException($"Journal record kind {(byte)kind} is unknown to this version."),
        };
        if (reader.BaseStream.Position != payload.Length)
        {
            throw new InvalidDataException($"Journal record of kind {kind} has {payload.Length - reader.BaseStream.Position} trailing bytes.");
        }

        return record;
    }

    private static byte[] Frame(byte[] payload)
    {
        var frame = new byte[FrameHeaderBytes + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32.HashToUInt32(payload));
        payload.CopyTo(frame, FrameHeaderBytes);
        return frame;
    }

    private static SamplesAppended ReadSamplesAppended(BinaryReader reader, IdentityKey key)
    {
        var revision = reader.ReadInt64();
        var at = ReadTime(reader);
        var count = reader.ReadInt32();
        var samples = new List<StoredSample>(count);
        for (var i = 0; i < count; i++)
        {
            samples.Add(new StoredSample(reader.ReadString(), ReadVector(reader), reader.ReadSingle(), reader.ReadString(), ReadNullable(reader), ReadTime(reader)));
        }

        return new SamplesAppended(key, revision, at, samples);
    }

    private static DescriptorSaved ReadDescriptorSaved(BinaryReader reader, IdentityKey key)
    {
        var vector = ReadVector(reader);
        var version = reader.ReadInt64();
        var sampleCount = reader.ReadInt32();
        var coreset = new string[reader.ReadInt32()];
        for (var i = 0; i < coreset.Length; i++)
        {
            coreset[i] = reader.ReadString();
        }

        return new DescriptorSaved(key, new StoredDescriptor(vector, version, sampleCount, coreset, reader.ReadString(), ReadTime(reader)));
    }

    private static void WriteHead(BinaryWriter writer, Kind kind, IdentityKey key)
    {
        writer.Write((byte)kind);
        writer.Write(key.Tenant);
        writer.Write(key.IdentityId);
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteVector(BinaryWriter writer, float[] vector)
    {
        writer.Write(vector.Length);
        foreach (var value in vector)
        {
            writer.Write(value);
        }
    }

    private static float[] ReadVector(BinaryReader reader)
    {
        var vector = new float[reader.ReadInt32()];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = reader.ReadSingle();
        }

        return vector;
    }

    private static DateTimeOffset ReadTime(BinaryReader reader) => new(reader.ReadInt64(), TimeSpan.Zero);
}
