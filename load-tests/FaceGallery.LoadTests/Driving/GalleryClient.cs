using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FaceGallery.LoadTests.Driving;

/// <summary>
/// HTTP to the gallery with retries where they are safe: enrollments carry sample ids (a repeat
/// is a duplicate) and searches change nothing. Only "try again" answers are retried — 503, 502,
/// 504, 429, 500 and connection failures or timeouts; each retry goes to the next server.
/// </summary>
public sealed class GalleryClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly UrlPool _urls;
    private readonly LoadRecorder _recorder;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private long _tickets;

    public GalleryClient(LoadSettings settings, UrlPool urls, LoadRecorder recorder)
    {
        _urls = urls;
        _recorder = recorder;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        })
        {
            // Polly's timeout bounds each attempt; the client's own would only cut the retries short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => IsRetryable(response.StatusCode),
                    _ => false,
                }),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = async args =>
                {
                    _recorder.AttemptFailed(await DescribeAsync(args.Outcome.Result, args.Outcome.Exception));
                    args.Outcome.Result?.Dispose();
                },
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    /// <summary>POSTs a JSON body; the answer's body is returned when it is a 200.</summary>
    public async Task<CallResult> PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        var ticket = Interlocked.Increment(ref _tickets);
        var attempt = 0;
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                var server = _urls.Pick(ticket, attempt++);
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
                };
                try
                {
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                }
                catch (HttpRequestException)
                {
                    _urls.MarkDown(server);
                    throw;
                }
            }, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return new CallResult(true, attempt, null, await response.Content.ReadAsByteArrayAsync(cancellationToken));
            }

            return new CallResult(false, attempt, await DescribeAsync(response, null), null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            return new CallResult(false, attempt, await DescribeAsync(null, e), null);
        }
    }

    public async Task<JsonDocument?> GetJsonAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var server = _urls.Pick(Interlocked.Increment(ref _tickets), 0);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(server, path), limit.Token);
            return response.IsSuccessStatusCode
                ? await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(limit.Token), cancellationToken: limit.Token)
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="server"/> answers /health/ready with 200 within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsReadyAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(server, "health/ready"), limit.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError;

    /// <summary>"503 storage_unavailable", "connection refused", "timeout": how reports group failures.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage? response, Exception? exception)
    {
        if (response is not null)
        {
            var code = "";
            try
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                code = problem.RootElement.TryGetProperty("code", out var c) ? " " + c.GetString() : "";
            }
            catch (JsonException)
            {
            }

            return $"{(int)response.StatusCode}{code}";
        }

        return exception switch
        {
            TimeoutRejectedException => "timeout",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused",
            HttpRequestException h => $"http {h.HttpRequestError}",
            null => "unknown",
            _ => exception.GetType().Name,
        };
    }
}

/// <summary>One request's end: whether it succeeded, after how many attempts, why not, and the 200 body.</summary>
public sealed record CallResult(bool Ok, int Attempts, string? Failure, byte[]? Body);
