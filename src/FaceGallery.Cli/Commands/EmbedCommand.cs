using System.CommandLine;
using System.Text.Json;
using FaceGallery.Contracts;

namespace FaceGallery.Cli.Commands;

/// <summary><c>embed [--aligned] FILE…</c>: one JSON line per file with every face found in it.</summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var aligned = new Option<bool>("--aligned") { Description = "Each file is already an aligned 150×150 chip (no detection)" };
        var files = new Argument<FileInfo[]>("FILE") { Description = "Image files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("embed", "Detect, align and embed the faces of image files; JSON lines on stdout") { aligned, files };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(files)!, parse.GetValue(aligned), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo[] files, bool aligned, CancellationToken cancellationToken)
    {
        await using var pipeline = new LocalFacePipeline();
        var failures = 0;
        foreach (var file in files)
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
                var faces = aligned ? [await pipeline.EmbedChipAsync(bytes, cancellationToken)] : await pipeline.DetectAsync(bytes, cancellationToken);
                var line = new
                {
                    file = file.ToString(),
                    faces = faces.Select(f => new { box = f.Box, quality = f.Quality, embedding = f.Embedding }),
                };
                Console.Out.WriteLine(JsonSerializer.Serialize(line));
            }
            catch (Exception e) when (e is GalleryException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                failures++;
                var reason = e is GalleryException g ? $"{g.Code}: {g.Message}" : e.Message;
                await Console.Error.WriteLineAsync($"embed: {file}: {reason}");
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
