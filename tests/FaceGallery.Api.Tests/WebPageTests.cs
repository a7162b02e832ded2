using System.Globalization;
using System.Net;
using FaceGallery.Testing;
using Microsoft.Playwright;

namespace FaceGallery.Api.Tests;

/// <summary>Skipped where Debian's chromium is not installed (<c>apt-get install -y chromium</c>).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
        {
            Skip = $"{Executable} is not installed";
        }
    }
}

/// <summary>The page at / drives the API from a real headless browser.</summary>
public sealed class WebPageTests
{
    private const int D = 128;
    private readonly SyntheticGallery _faces = new(D, seed: 41);

    [ChromiumFact]
    public async Task The_page_lists_enrolls_searches_and_shows_the_cluster()
    {
        var port = FreePorts.Next();
        await using var server = await GalleryServer.StartAsync(StoreKind.Embedded, kestrelPort: port);
        var baseAddress = $"http://127.0.0.1:{port}";
        using (var http = new HttpClient { BaseAddress = new Uri(baseAddress) })
        {
            foreach (var person in new[] { "ada", "grace", "linus" })
            {
                var enrolled = await http.PostAsync($"/v1/identities/{person}/embeddings",
                    ApiClient.Samples(($"{person}-1", _faces.Sample(person), 1f), ($"{person}-2", _faces.Sample(person), 0.8f)));
                Assert.Equal(HttpStatusCode.OK, enrolled.Status);
            }
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(baseAddress + "/");

        var rows = page.Locator("#identities tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#silos tbody tr").First).ToContainTextAsync("Active");

        await page.FillAsync("#enroll-id", "made-in-page");
        await page.FillAsync("#enroll-name", "Made In Page");
        await page.FillAsync("#enroll-embeddings", Json([_faces.Sample("made-in-page")]));
        await page.ClickAsync("#enroll-form button[type=submit]");
        await Assertions.Expect(page.Locator("#enroll-result")).ToContainTextAsync("\"accepted\": 1");
        await Assertions.Expect(rows).ToHaveCountAsync(4);

        await page.FillAsync("#search-embeddings", Json([_faces.Sample("grace")]));
        await page.ClickAsync("#search-form button[type=submit]");
        await Assertions.Expect(page.Locator("#search-results tbody tr").First).ToContainTextAsync("grace");

        var screenshots = Environment.GetEnvironmentVariable("FACEGALLERY_SCREENSHOT_DIR") ?? Path.GetTempPath();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "web-page.png"), FullPage = true });
    }

    private static string Json(float[][] embeddings) =>
        "[" + string.Join(",", embeddings.Select(e => "[" + string.Join(",", e.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
}
