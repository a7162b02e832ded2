namespace FaceGallery.Storage.Embedded;

/// <summary>
/// Holds <c>gallery.lock</c> open exclusively (an OS file lock on Unix and Windows alike) for as long
/// as the store is open, so a second process on the same directory is refused instead of
/// interleaving its writes into the journal.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "gallery.lock";

    private readonly FileStream stream;

    private DataDirectoryLock(FileStream stream) => this.stream = stream;

    public static DataDirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"The gallery data directory '{directory}' is in use by another FaceGallery process (it holds {path}). " +
                "Stop that process, or give this one its own data path.", e);
        }

        // The owner's process id, for whoever looks at the directory while it is locked.
        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            writer.Write(Environment.ProcessId);
        }

        stream.Flush();
        return new DataDirectoryLock(stream);
    }

    public void Dispose() => stream.Dispose();
}
