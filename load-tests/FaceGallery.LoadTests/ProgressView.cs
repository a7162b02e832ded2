using Spectre.Console;

namespace FaceGallery.LoadTests;

/// <summary>
/// Shows a phase while it runs: a live progress bar on a terminal, a plain status line every few
/// seconds when the output goes to a log (as under load-tests/run.sh).
/// </summary>
public sealed class ProgressView(bool enabled)
{
    public async Task ShowAsync(string title, Task work, Func<double> fraction, Func<string> status)
    {
        if (!enabled)
        {
            await work;
            return;
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(title, maxValue: 1.0);
                    while (!work.IsCompleted)
                    {
                        task.Value = Math.Min(1.0, fraction());
                        task.Description = $"{title}: {Markup.Escape(status())}";
                        await Task.WhenAny(work, Task.Delay(250));
                    }

                    task.Value = 1.0;
                    task.Description = $"{title}: {Markup.Escape(status())}";
                });
            await work;
            return;
        }

        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5)));
            Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {title} {fraction():P0}: {status()}");
        }

        await work;
    }
}
