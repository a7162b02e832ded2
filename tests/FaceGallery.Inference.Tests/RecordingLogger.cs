using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FaceGallery.Inference.Tests;

/// <summary>Keeps every formatted log entry so tests can check what was reported and why.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception)));
}

internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message);
