using Microsoft.Extensions.Logging;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// The embedded gallery's directory: <c>gallery.lock</c>, <c>snapshot.bin</c> and the append-only
/// <c>journal.bin</c>. Opening replays snapshot then journal into a <see cref="GalleryState"/>; every
/// append is on disk (fsync) before it returns; compaction swaps in a new snapshot and journal
/// through renames, so a crash at any point leaves either the old or the new pair.
/// </summary>
/// <remarks>Not thread-safe: the store serialises writers.</remarks>
internal sealed class GalleryFiles : IDisposable
{
    public const string JournalName = "journal.bin";
    public const string SnapshotName = "snapshot.bin";

    private const int ReadBufferBytes = 1 << 20;

    private readonly string directory;
    private readonly int dimension;
    private readonly ILogger logger;
    private readonly DataDirectoryLock directoryLock;
    private FileStream journal;
    private long journalGeneration;
    private long journalLength;

    private GalleryFiles(string directory, int dimension, ILogger logger, DataDirectoryLock directoryLock, FileStream journal, long journalGeneration)
    {
        this.directory = directory;
        this.dimension = dimension;
        this.logger = logger;
        this.directoryLock = directoryLock;
        this.journal = journal;
        this.journalGeneration = journalGeneration;
        journalLength = journal.Length;
    }

    public long JournalLength => journalLength;

    /// <summary>Set when a failed append could not be undone: the journal's end is unknown, so no more writes.</summary>
    public bool IsBroken { get; private set; }

    public static GalleryFiles Open(string directory, int dimension, GalleryState state, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var directoryLock = DataDirectoryLock.Acquire(directory);
        try
        {
            foreach (var leftover in Directory.EnumerateFiles(directory, "*.tmp"))
            {
                File.Delete(leftover);
            }

            var covered = LoadSnapshot(directory, dimension, state);
            var journalPath = Path.Combine(directory, JournalName);
            var replayed = 0;
            FileStream journal;
            long generation;
            if (!File.Exists(journalPath))
            {
                generation = covered + 1;
                journal = CreateJournal(directory, dimension, generation);
            }
            else
            {
                using (var existing = new FileStream(journalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, ReadBufferBytes))
                {
                    var header = FileHeader.Read(existing, FileHeader.JournalMagic, journalPath);
                    CheckDimension(header, dimension, journalPath);
                    generation = header.Generation;
                    if (generation > covered)
                    {
                        replayed = Replay(existing, journalPath, state, logger);
                    }
                }

                if (generation <= covered)
                {
                    // A crash after the snapshot was renamed in, before the new journal was: the
                    // snapshot already holds everything in this journal.
                    StorageLog.StaleJournalReplaced(logger, journalPath, generation);
                    generation = covered + 1;
                    journal = CreateJournal(directory, dimension, generation);
                }
                else
                {
                    journal = OpenForAppend(journalPath);
                }
            }

            StorageLog.EmbeddedOpened(logger, directory, state.IdentityCount, replayed);
            return new GalleryFiles(directory, dimension, logger, directoryLock, journal, generation);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Appends one framed record and waits until it is on disk.</summary>
    public void Append(byte[] frame)
    {
        if (IsBroken)
        {
            throw new IOException("An earlier journal write failed and could not be undone.");
        }

        try
        {
            journal.Write(frame);
            journal.Flush(flushToDisk: true);
            journalLength += frame.Length;
        }
        catch (Exception original)
        {
            // Cut a partial frame off again, or later appends would sit behind a torn one and be
            // thrown away by the next replay.
            try
            {
                journal.SetLength(journalLength);
                journal.Seek(journalLength, SeekOrigin.Begin);
                journal.Flush(flushToDisk: true);
            }
            catch (Exception rollback)
            {
                IsBroken = true;
                StorageLog.JournalBroken(logger, new AggregateException(original, rollback));
            }

            throw;
        }
    }

    /// <summary>Writes the whole state as a snapshot covering this journal, then starts the next journal.</summary>
    public void Compact(GalleryState state)
    {
        var snapshotTmp = Path.Combine(directory, SnapshotName + ".tmp");
        using (var snapshot = new FileStream(snapshotTmp, FileMode.Create, FileAccess.Write, FileShare.None, ReadBufferBytes))
        {
            new FileHeader(dimension, journalGeneration).Write(snapshot, FileHeader.SnapshotMagic);
            var records = 0;
            foreach (var record in state.SnapshotRecords())
            {
                snapshot.Write(JournalCodec.Frame(record));
                records++;
            }

            snapshot.Write(JournalCodec.SnapshotEndFrame(records));
            snapshot.Flush(flushToDisk: true);
        }

        File.Move(snapshotTmp, Path.Combine(directory, SnapshotName), overwrite: true);
        DirectorySync.Flush(directory);

        var next = CreateJournal(directory, dimension, journalGeneration + 1);
        journal.Dispose();
        journal = next;
        journalGeneration++;
        journalLength = journal.Length;
        StorageLog.Compacted(logger, state.IdentityCount, journalGeneration);
    }

    public void Dispose()
    {
        journal.Dispose();
        directoryLock.Dispose();
    }

    private static FileStream CreateJournal(string directory, int dimension, long generation)
    {
        var path = Path.Combine(directory, JournalName);
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            new FileHeader(dimension, generation).Write(stream, FileHeader.JournalMagic);
            stream.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
        DirectorySync.Flush(directory);
        return OpenForAppend(path);
    }

    /// <summary>
    /// Unbuffered, so each Write reaches the OS at once and a failed append leaves nothing behind in
    /// a managed buffer that a later flush could still write after the rollback.
    /// </summary>
    private static FileStream OpenForAppend(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Applies the snapshot, if any, and returns the journal generation it covers (0 without one).</summary>
    private static long LoadSnapshot(string directory, int dimension, GalleryState state)
    {
        var path = Path.Combine(directory, SnapshotName);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferBytes);
        var header = FileHeader.Read(stream, FileHeader.SnapshotMagic, path);
        CheckDimension(header, dimension, path);
        var reader = new FrameReader(stream, FileHeader.Bytes);
        var applied = 0;
        while (reader.TryRead(out var payload))
        {
            if (JournalCodec.IsSnapshotEnd(payload, out var expected))
            {
                if (expected != applied)
                {
                    break;
                }

                return header.Generation;
            }

            state.Apply(JournalCodec.Decode(payload));
            applied++;
        }

        // Snapshots are renamed into place only once complete and flushed; a damaged one means the
        // disk lost data, and guessing would serve a gallery that silently misses identities.
        throw new InvalidDataException(
            $"Snapshot '{path}' is damaged ({reader.Problem ?? "no end marker"} after {applied} records). " +
            "Restore the data directory from a backup.");
    }

    /// <summary>Applies every intact record; a torn or corrupt tail is cut off, keeping a copy of it.</summary>
    private static int Replay(FileStream journal, string path, GalleryState state, ILogger logger)
    {
        var reader = new FrameReader(journal, FileHeader.Bytes);
        var replayed = 0;
        while (reader.TryRead(out var payload))
        {
            state.Apply(JournalCodec.Decode(payload));
            replayed++;
        }

        if (reader.Problem is not null)
        {
            var end = reader.Offset;
            var dropped = journal.Length - end;
            var copy = $"{path}.tail-{DateTime.UtcNow:yyyyMMddTHHmmssfff}";
            using (var tail = new FileStream(copy, FileMode.CreateNew, FileAccess.Write))
            {
                journal.Seek(end, SeekOrigin.Begin);
                journal.CopyTo(tail);
                tail.Flush(flushToDisk: true);
            }

            journal.SetLength(end);
            journal.Flush(flushToDisk: true);
            StorageLog.JournalTailTruncated(logger, path, dropped, end, reader.Problem, copy);
        }

        return replayed;
    }

    private static void CheckDimension(FileHeader header, int dimension, string path)
    {
        if (header.Dimension != dimension)
        {
            throw new InvalidOperationException(
                $"The gallery in '{Path.GetDirectoryName(path)}' holds {header.Dimension}-dimensional vectors, but this process is " +
                $"configured for {dimension}. Use the embedder that produced the gallery, or another data path.");
        }
    }
}
