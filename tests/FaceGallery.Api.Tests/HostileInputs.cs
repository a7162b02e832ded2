using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>One hostile request to one endpoint and the answer the API owes it (always 4xx problem+json).</summary>
public sealed record HostileCase(string Endpoint, string Input, HttpStatusCode Status, string Code, Func<HttpRequestMessage> Request)
{
    public string Name => $"{Endpoint} · {Input}";
}

/// <summary>
/// The hostile-input matrix: every endpoint of HTTP API v1 (the list must match the server's routes and
/// the OpenAPI document) with what each is sent and must answer. Rows that apply to every endpoint
/// (hostile ids, oversized bodies, wrong methods, broken JSON) are generated from the endpoint list, so
/// a new endpoint gets them by being listed. docs/hostile-inputs.md is rendered from these rows.
/// </summary>
public static class HostileInputs
{
    /// <summary>The one identity the matrix server holds; no row may change it.</summary>
    public const string Victim = "victim";

    /// <summary>Its one sample.</summary>
    public const string VictimSample = "v1";

    public const int Dimension = 128;

    /// <summary>Server limits the rows are written against (see <see cref="HostileInputMatrix"/>).</summary>
    public const int MaxRequestBytes = 1024 * 1024;
    public const int MaxEncodedImageBytes = 256 * 1024;
    public const int MaxPixels = 1_000_000;
    public const int MaxImagesPerRequest = 4;
    public const int MaxSamplesPerRequest = 64;
    public const int MaxSearchResults = 100;

    private const HttpStatusCode Unprocessable = HttpStatusCode.UnprocessableEntity;

    private static readonly SyntheticGallery Faces = new(Dimension, seed: 11);
    private static readonly Lazy<byte[]> Photo = new(() => File.ReadAllBytes(FaceImages.Photo("Tom_Cruise_avp_2014_4.jpg")));

    /// <summary>Ids as they appear in the URL (already escaped), and what they are.</summary>
    private static readonly (string Escaped, string Input)[] HostileIds =
    [
        ("..%2F..%2Fetc%2Fpasswd", "path-like id `../../etc/passwd`"),
        ("%27%3B%20DROP%20TABLE%20identities%3B%20--", "SQL-like id `'; DROP TABLE identities; --`"),
        ("%C3%A9t%C3%A9", "unicode id `été`"),
        ("%E2%80%AEevil", "id with a right-to-left override"),
        ("bad%20id", "id with a space"),
        (new string('a', 129), "over-long id (129 characters)"),
        (new string('b', 4000), "over-long id (4000 characters)"),
    ];

    /// <summary>The endpoints of API v1 as "METHOD route", with a body each would accept.</summary>
    public static IReadOnlyList<HostileEndpoint> Endpoints { get; } =
    [
        new("PUT", "/v1/identities/{id}", """{"displayName":"x","metadata":{"team":"a"}}"""),
        new("GET", "/v1/identities/{id}", null),
        new("GET", "/v1/identities", null),
        new("DELETE", "/v1/identities/{id}", null),
        new("POST", "/v1/identities/{id}/embeddings", SamplesJson(GoodEmbedding())),
        new("POST", "/v1/identities/{id}/faces", ImagesJson(FaceImages.Blank())),
        new("DELETE", "/v1/identities/{id}/samples/{sampleId}", null),
        new("POST", "/v1/search", $$"""{"embeddings":[{{Vector(GoodEmbedding())}}],"k":5}"""),
        new("POST", "/v1/verify", $$"""{"identityId":"{{Victim}}","embeddings":[{{Vector(GoodEmbedding())}}]}"""),
        new("GET", "/v1/cluster", null),
        new("GET", "/v1/models", null),
    ];

    public static IReadOnlyList<HostileCase> All { get; } = Build();

    public static HostileCase Find(string name) => All.Single(c => c.Name == name);

    private static List<HostileCase> Build()
    {
        var cases = new List<HostileCase>();
        foreach (var endpoint in Endpoints)
        {
            AddHostileIds(cases, endpoint);
            AddEnvelope(cases, endpoint);
            if (endpoint.Body is not null)
            {
                AddBrokenJson(cases, endpoint);
            }
        }

        AddProfile(cases);
        AddListing(cases);
        AddMissing(cases);
        AddEmbeddings(cases);
        AddFaces(cases);
        AddSearch(cases);
        AddVerify(cases);
        var names = cases.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        return names.Length == 0 ? cases : throw new InvalidOperationException("rows named twice: " + string.Join(", ", names));
    }

    // ---- rows every endpoint gets -------------------------------------------------------------

    private static void AddHostileIds(List<HostileCase> cases, HostileEndpoint endpoint)
    {
        foreach (var (slot, what) in new[] { ("{id}", ""), ("{sampleId}", "sample ") })
        {
            if (!endpoint.Route.Contains(slot, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (escaped, input) in HostileIds)
            {
                var path = endpoint.Route.Replace(slot, escaped, StringComparison.Ordinal);
                cases.Add(new(endpoint.Key, what + input, HttpStatusCode.BadRequest, "invalid_id",
                    () => Request(endpoint.Method, endpoint.Path(path), endpoint.Body is { } body ? Json(body) : null)));
            }
        }
    }

    private static void AddEnvelope(List<HostileCase> cases, HostileEndpoint endpoint)
    {
        cases.Add(new(endpoint.Key, "oversized body (1.5 MiB)", HttpStatusCode.RequestEntityTooLarge, "payload_too_large",
            () => Request(endpoint.Method, endpoint.Path(), Json("[" + new string(' ', MaxRequestBytes * 3 / 2) + "]"))));
        cases.Add(new(endpoint.Key, "unsupported method PATCH", HttpStatusCode.MethodNotAllowed, "method_not_allowed",
            () => Request("PATCH", endpoint.Path(), endpoint.Body is { } body ? Json(body) : null)));
    }

    private static void AddBrokenJson(List<HostileCase> cases, HostileEndpoint endpoint)
    {
        var body = endpoint.Body!;
        var firstMember = body[2..body.IndexOf('"', 2)];
        Add(cases, endpoint, "malformed JSON", HttpStatusCode.BadRequest, "malformed_json", () => Json("""{"a": [1, 2,"""));
        Add(cases, endpoint, "valid body cut in half", HttpStatusCode.BadRequest, "malformed_json", () => Json(body[..(body.Length / 2)]));
        Add(cases, endpoint, "not JSON at all", HttpStatusCode.BadRequest, "malformed_json", () => Json("hello, server"));
        Add(cases, endpoint, "JSON array instead of an object", HttpStatusCode.BadRequest, "malformed_json", () => Json("[1, 2, 3]"));
        Add(cases, endpoint, "unknown member", HttpStatusCode.BadRequest, "malformed_json", () => Json(body[..^1] + ""","surprise":true}"""));
        Add(cases, endpoint, "deeply nested JSON (10 000 levels)", HttpStatusCode.BadRequest, "malformed_json",
            () => Json($$"""{"{{firstMember}}":{{new string('[', 10_000)}}{{new string(']', 10_000)}}}"""));
        Add(cases, endpoint, "bare NaN token", HttpStatusCode.BadRequest, "malformed_json", () => Json($$"""{"{{firstMember}}":NaN}"""));
        Add(cases, endpoint, "text/plain content type", HttpStatusCode.UnsupportedMediaType, "unsupported_media",
            () => new StringContent(body, Encoding.UTF8, "text/plain"));
        Add(cases, endpoint, "XML body", HttpStatusCode.UnsupportedMediaType, "unsupported_media",
            () => new StringContent("<identity><name>x</name></identity>", Encoding.UTF8, "application/xml"));
    }

    // ---- rows of one endpoint -----------------------------------------------------------------

    private static void AddProfile(List<HostileCase> cases)
    {
        var put = Endpoint("PUT", "/v1/identities/{id}");
        Add(cases, put, "metadata is an array", HttpStatusCode.BadRequest, "invalid_request", () => Json("""{"metadata":[1,2]}"""));
        Add(cases, put, "metadata is a string", HttpStatusCode.BadRequest, "invalid_request", () => Json("""{"metadata":"x"}"""));
        Add(cases, put, "displayName of 257 characters", HttpStatusCode.BadRequest, "invalid_request",
            () => Json($$"""{"displayName":"{{new string('n', 257)}}"}"""));
        Add(cases, put, "displayName is a number", HttpStatusCode.BadRequest, "malformed_json", () => Json("""{"displayName":42}"""));
        Add(cases, put, "metadata nested 40 levels (limit 32)", HttpStatusCode.BadRequest, "malformed_json",
            () => Json("""{"metadata":""" + string.Concat(Enumerable.Repeat("""{"a":""", 40)) + "1" + new string('}', 41)));
    }

    private static void AddListing(List<HostileCase> cases)
    {
        var list = Endpoint("GET", "/v1/identities");
        foreach (var (query, input) in new[]
        {
            ("limit=0", "limit=0"),
            ("limit=-5", "limit=-5"),
            ("limit=1001", "limit=1001 (over 1000)"),
            ("limit=abc", "limit=abc"),
            ("limit=99999999999", "limit over Int32"),
            ("limit=NaN", "limit=NaN"),
            ("cursor=%25%25%25", "cursor `%%%`"),
            ("cursor=" + Base64Url("../x"), "cursor encoding `../x`"),
            ("cursor=" + Base64Url("'; DROP TABLE identities; --"), "cursor encoding SQL"),
            ("cursor=" + new string('Q', 5000), "over-long cursor (5000 characters)"),
        })
        {
            cases.Add(new(list.Key, input, HttpStatusCode.BadRequest, "invalid_request", () => Request("GET", "/v1/identities?" + query, null)));
        }
    }

    private static void AddMissing(List<HostileCase> cases)
    {
        cases.Add(new("GET /v1/identities/{id}", "unknown id", HttpStatusCode.NotFound, "not_found", () => Request("GET", "/v1/identities/nobody", null)));
        cases.Add(new("DELETE /v1/identities/{id}", "unknown id", HttpStatusCode.NotFound, "not_found", () => Request("DELETE", "/v1/identities/nobody", null)));
        cases.Add(new("DELETE /v1/identities/{id}/samples/{sampleId}", "unknown identity", HttpStatusCode.NotFound, "not_found",
            () => Request("DELETE", "/v1/identities/nobody/samples/x", null)));
        cases.Add(new("DELETE /v1/identities/{id}/samples/{sampleId}", "unknown sample", HttpStatusCode.NotFound, "not_found",
            () => Request("DELETE", $"/v1/identities/{Victim}/samples/nope", null)));
    }

    private static void AddEmbeddings(List<HostileCase> cases)
    {
        var enroll = Endpoint("POST", "/v1/identities/{id}/embeddings");
        var good = GoodEmbedding();
        var goodJson = Vector(good);
        var secondValue = goodJson.Split(',')[1];
        void Row(string input, HttpStatusCode status, string code, Func<string> body) => Add(cases, enroll, input, status, code, () => Json(body()));

        Row("64-value embedding (model gives 128)", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesJson(good[..64]));
        Row("129-value embedding", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesJson([.. good, 0.5f]));
        Row("empty embedding", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesJson([]));
        Row("embedding missing", HttpStatusCode.BadRequest, "invalid_embedding", () => """{"samples":[{"id":"bad"}]}""");
        Row("\"NaN\" in the embedding", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesRaw(goodJson.Replace(secondValue, "\"NaN\"", StringComparison.Ordinal)));
        Row("\"Infinity\" in the embedding", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesRaw(goodJson.Replace(secondValue, "\"-Infinity\"", StringComparison.Ordinal)));
        Row("1e39 in the embedding (over float range)", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesRaw(goodJson.Replace(secondValue, "1e39", StringComparison.Ordinal)));
        Row("strings in the embedding", HttpStatusCode.BadRequest, "malformed_json", () => SamplesRaw("""["a","b"]"""));
        Row("zero vector", HttpStatusCode.BadRequest, "invalid_embedding", () => SamplesJson(new float[Dimension]));
        Row("quality 1.5", HttpStatusCode.BadRequest, "invalid_quality", () => SamplesRaw(goodJson, "1.5"));
        Row("quality -0.1", HttpStatusCode.BadRequest, "invalid_quality", () => SamplesRaw(goodJson, "-0.1"));
        Row("quality \"NaN\"", HttpStatusCode.BadRequest, "invalid_quality", () => SamplesRaw(goodJson, "\"NaN\""));
        Row("quality \"Infinity\"", HttpStatusCode.BadRequest, "invalid_quality", () => SamplesRaw(goodJson, "\"Infinity\""));
        Row("no samples", HttpStatusCode.BadRequest, "empty_samples", () => """{"samples":[]}""");
        Row("JSON null body", HttpStatusCode.BadRequest, "empty_samples", () => "null");
        Row("a null sample", HttpStatusCode.BadRequest, "invalid_request", () => """{"samples":[null]}""");
        Row("65 samples (limit 64)", HttpStatusCode.BadRequest, "too_many_samples",
            () => ApiClient.ToJson(new { samples = Enumerable.Range(0, 65).Select(i => new { id = $"x{i}", embedding = good }).ToArray() }));
        Row("2000 samples (2.5 MB)", HttpStatusCode.RequestEntityTooLarge, "payload_too_large",
            () => ApiClient.ToJson(new { samples = Enumerable.Range(0, 2000).Select(i => new { id = $"h{i}", embedding = good }).ToArray() }));
        Row("sample id `a b`", HttpStatusCode.BadRequest, "invalid_id", () => SamplesRaw(goodJson, id: "a b"));
        Row("sample id `../x`", HttpStatusCode.BadRequest, "invalid_id", () => SamplesRaw(goodJson, id: "../x"));
        Row("sample id `'; DROP TABLE face_samples; --`", HttpStatusCode.BadRequest, "invalid_id", () => SamplesRaw(goodJson, id: "'; DROP TABLE face_samples; --"));
        Row("sample id of 129 characters", HttpStatusCode.BadRequest, "invalid_id", () => SamplesRaw(goodJson, id: new string('s', 129)));
        Row("empty sample id", HttpStatusCode.BadRequest, "invalid_id", () => SamplesRaw(goodJson, id: ""));
        Row("one sample id twice", HttpStatusCode.BadRequest, "duplicate_sample_id",
            () => ApiClient.ToJson(new { samples = new[] { new { id = "twice", embedding = good }, new { id = "twice", embedding = Faces.Sample(Victim) } } }));
    }

    private static void AddFaces(List<HostileCase> cases)
    {
        var faces = Endpoint("POST", "/v1/identities/{id}/faces");
        var path = faces.Path();
        void Base64Row(string input, HttpStatusCode status, string code, Func<string> image) =>
            Add(cases, faces, "JSON: " + input, status, code, () => Json(ApiClient.ToJson(new { images = new[] { image() } })));
        void FileRow(string input, HttpStatusCode status, string code, Func<byte[]> image) =>
            Base64Row(input, status, code, () => Convert.ToBase64String(image()));

        Base64Row("invalid base64 `***`", Unprocessable, "invalid_image", () => "***");
        Base64Row("empty string", Unprocessable, "invalid_image", () => "");
        Base64Row("data: URL with a broken payload", Unprocessable, "invalid_image", () => "data:image/png;base64,@@@@");
        FileRow("JPEG marker followed by noise", Unprocessable, "invalid_image", HostileImages.CorruptJpeg);
        FileRow("JPEG cut inside its header (100 bytes)", Unprocessable, "invalid_image", () => Photo.Value[..100]);
        FileRow("JPEG cut in half", Unprocessable, "invalid_image", () => HostileImages.Truncated(Photo.Value, 0.5));
        FileRow("PNG cut in half", Unprocessable, "invalid_image", () => HostileImages.Truncated(HostileImages.FlatPng(400, 300), 0.5));
        FileRow("decompression bomb: 61-byte PNG declaring 60000×60000", Unprocessable, "image_too_large", () => HostileImages.DeclaredSizeBomb());
        FileRow("decompression bomb: real 2000×2000 PNG (4 MP, limit 1 MP)", Unprocessable, "image_too_large", () => HostileImages.FlatPng(2000, 2000));
        FileRow("file over the 256 KiB image limit", Unprocessable, "image_too_large", () => HostileImages.Oversized(MaxEncodedImageBytes + 1));
        FileRow("CSV text", Unprocessable, "unsupported_media", HostileImages.Text);
        FileRow("SVG", Unprocessable, "unsupported_media", HostileImages.Svg);
        FileRow("picture without a face", Unprocessable, "no_face", () => FaceImages.Blank());
        Add(cases, faces, "JSON: no images", HttpStatusCode.BadRequest, "empty_samples", () => Json("""{"images":[]}"""));
        Add(cases, faces, "JSON: images is a string", HttpStatusCode.BadRequest, "malformed_json", () => Json("""{"images":"abc"}"""));
        Add(cases, faces, "JSON: 5 images (limit 4)", HttpStatusCode.BadRequest, "too_many_samples",
            () => Json(ApiClient.ToJson(new { images = Enumerable.Repeat("***", MaxImagesPerRequest + 1).ToArray() })));
        Add(cases, faces, "JSON null body", HttpStatusCode.BadRequest, "invalid_request", () => Json("null"));
        Add(cases, faces, "empty body", HttpStatusCode.BadRequest, "malformed_json", () => Json(""));

        cases.Add(new(faces.Key, "aligned=true with a 100×100 image (chips are 150×150)", Unprocessable, "invalid_image",
            () => Request("POST", path + "?aligned=true", Multipart(("images", HostileImages.FlatPng(100, 100), "image/png")))));
        cases.Add(new(faces.Key, "aligned=maybe", HttpStatusCode.BadRequest, "invalid_request",
            () => Request("POST", path + "?aligned=maybe", Multipart(("images", FaceImages.Blank(), "image/png")))));
        cases.Add(new(faces.Key, "multipleFaces=all", HttpStatusCode.BadRequest, "invalid_request",
            () => Request("POST", path + "?multipleFaces=all", Multipart(("images", FaceImages.Blank(), "image/png")))));
        Add(cases, faces, "multipart: text file", Unprocessable, "unsupported_media", () => Multipart(("images", HostileImages.Text(), "image/jpeg")));
        Add(cases, faces, "multipart: empty file", Unprocessable, "unsupported_media", () => Multipart(("images", [], "image/jpeg")));
        Add(cases, faces, "multipart: PNG declaring 60000×60000", Unprocessable, "image_too_large",
            () => Multipart(("images", HostileImages.DeclaredSizeBomb(), "image/png")));
        Add(cases, faces, "multipart: JPEG cut in half", Unprocessable, "invalid_image",
            () => Multipart(("images", HostileImages.Truncated(Photo.Value, 0.5), "image/jpeg")));
        Add(cases, faces, "multipart: files under another field name", HttpStatusCode.BadRequest, "empty_samples",
            () => Multipart(("photos", FaceImages.Blank(), "image/png")));
        Add(cases, faces, "multipart: 5 files (limit 4)", HttpStatusCode.BadRequest, "too_many_samples",
            () => Multipart(Enumerable.Repeat(("images", FaceImages.Blank(), "image/png"), MaxImagesPerRequest + 1).ToArray()));
        Add(cases, faces, "raw image/jpeg body", HttpStatusCode.UnsupportedMediaType, "unsupported_media",
            () => new ByteArrayContent(Photo.Value) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } });
        Add(cases, faces, "no content type", HttpStatusCode.UnsupportedMediaType, "unsupported_media", () => new ByteArrayContent(Photo.Value));
    }

    private static void AddSearch(List<HostileCase> cases)
    {
        var search = Endpoint("POST", "/v1/search");
        var good = Vector(GoodEmbedding());
        void Row(string input, HttpStatusCode status, string code, string body) => Add(cases, search, input, status, code, () => Json(body));

        Row("k=0", HttpStatusCode.BadRequest, "invalid_k", $$"""{"embeddings":[{{good}}],"k":0}""");
        Row("k=-1", HttpStatusCode.BadRequest, "invalid_k", $$"""{"embeddings":[{{good}}],"k":-1}""");
        Row("k=101 (limit 100)", HttpStatusCode.BadRequest, "invalid_k", $$"""{"embeddings":[{{good}}],"k":101}""");
        Row("k=1e12", HttpStatusCode.BadRequest, "malformed_json", $$"""{"embeddings":[{{good}}],"k":1e12}""");
        Row("k=2.5", HttpStatusCode.BadRequest, "malformed_json", $$"""{"embeddings":[{{good}}],"k":2.5}""");
        Row("k=\"ten\"", HttpStatusCode.BadRequest, "malformed_json", $$"""{"embeddings":[{{good}}],"k":"ten"}""");
        Row("minScore=2", HttpStatusCode.BadRequest, "invalid_request", $$"""{"embeddings":[{{good}}],"minScore":2}""");
        Row("minScore=\"NaN\"", HttpStatusCode.BadRequest, "invalid_request", $$"""{"embeddings":[{{good}}],"minScore":"NaN"}""");
        Row("minScore=\"-Infinity\"", HttpStatusCode.BadRequest, "invalid_request", $$"""{"embeddings":[{{good}}],"minScore":"-Infinity"}""");
        Row("no probe at all", HttpStatusCode.BadRequest, "empty_samples", "{}");
        Row("empty embeddings", HttpStatusCode.BadRequest, "empty_samples", """{"embeddings":[]}""");
        Row("an empty embedding", HttpStatusCode.BadRequest, "invalid_embedding", """{"embeddings":[[]]}""");
        Row("a null embedding", HttpStatusCode.BadRequest, "invalid_embedding", """{"embeddings":[null]}""");
        Row("64-value embedding", HttpStatusCode.BadRequest, "invalid_embedding", $$"""{"embeddings":[{{Vector(GoodEmbedding()[..64])}}]}""");
        Row("\"NaN\" in an embedding", HttpStatusCode.BadRequest, "invalid_embedding",
            $$"""{"embeddings":[{{good.Replace(good.Split(',')[3], "\"NaN\"", StringComparison.Ordinal)}}]}""");
        Row("zero vector", HttpStatusCode.BadRequest, "invalid_embedding", $$"""{"embeddings":[{{Vector(new float[Dimension])}}]}""");
        Row("65 embeddings (limit 64)", HttpStatusCode.BadRequest, "too_many_samples",
            ApiClient.ToJson(new { embeddings = Enumerable.Repeat(GoodEmbedding(), 65).ToArray() }));
        Row("quality 2", HttpStatusCode.BadRequest, "invalid_quality", $$"""{"embeddings":[{{good}}],"qualities":[2]}""");
        Row("quality \"NaN\"", HttpStatusCode.BadRequest, "invalid_quality", $$"""{"embeddings":[{{good}}],"qualities":["NaN"]}""");
        Row("two qualities for one embedding", HttpStatusCode.BadRequest, "invalid_quality", $$"""{"embeddings":[{{good}}],"qualities":[0.5,0.5]}""");
        Row("image: invalid base64", Unprocessable, "invalid_image", """{"images":["***"]}""");
        Add(cases, search, "image: JPEG cut in half", Unprocessable, "invalid_image",
            () => Json(ApiClient.ToJson(new { images = new[] { Convert.ToBase64String(HostileImages.Truncated(Photo.Value, 0.5)) } })));
        Add(cases, search, "image: PNG declaring 60000×60000", Unprocessable, "image_too_large",
            () => Json(ApiClient.ToJson(new { images = new[] { Convert.ToBase64String(HostileImages.DeclaredSizeBomb()) } })));
        Add(cases, search, "image: CSV text", HttpStatusCode.UnsupportedMediaType, "unsupported_media",
            () => Json(ApiClient.ToJson(new { images = new[] { Convert.ToBase64String(HostileImages.Text()) } })));
        Add(cases, search, "image: 5 images (limit 4)", HttpStatusCode.BadRequest, "too_many_samples",
            () => Json(ApiClient.ToJson(new { images = Enumerable.Repeat("***", MaxImagesPerRequest + 1).ToArray() })));
        Row("empty body", HttpStatusCode.BadRequest, "invalid_request", "");
        Row("JSON null body", HttpStatusCode.BadRequest, "invalid_request", "null");
    }

    private static void AddVerify(List<HostileCase> cases)
    {
        var verify = Endpoint("POST", "/v1/verify");
        var good = Vector(GoodEmbedding());
        void Row(string input, HttpStatusCode status, string code, string body) => Add(cases, verify, input, status, code, () => Json(body));

        Row("identityId missing", HttpStatusCode.BadRequest, "invalid_id", $$"""{"embeddings":[{{good}}]}""");
        Row("identityId `../x`", HttpStatusCode.BadRequest, "invalid_id", $$"""{"identityId":"../x","embeddings":[{{good}}]}""");
        Row("identityId `'; DROP TABLE identities; --`", HttpStatusCode.BadRequest, "invalid_id",
            $$"""{"identityId":"'; DROP TABLE identities; --","embeddings":[{{good}}]}""");
        Row("identityId `été`", HttpStatusCode.BadRequest, "invalid_id", $$"""{"identityId":"été","embeddings":[{{good}}]}""");
        Row("identityId of 129 characters", HttpStatusCode.BadRequest, "invalid_id", $$"""{"identityId":"{{new string('i', 129)}}","embeddings":[{{good}}]}""");
        Row("identityId is a number", HttpStatusCode.BadRequest, "malformed_json", $$"""{"identityId":5,"embeddings":[{{good}}]}""");
        Row("unknown identity", HttpStatusCode.NotFound, "not_found", $$"""{"identityId":"nobody","embeddings":[{{good}}]}""");
        Row("no probe", HttpStatusCode.BadRequest, "empty_samples", $$"""{"identityId":"{{Victim}}"}""");
        Row("64-value embedding", HttpStatusCode.BadRequest, "invalid_embedding",
            $$"""{"identityId":"{{Victim}}","embeddings":[{{Vector(GoodEmbedding()[..64])}}]}""");
        Row("\"Infinity\" in an embedding", HttpStatusCode.BadRequest, "invalid_embedding",
            $$"""{"identityId":"{{Victim}}","embeddings":[{{good.Replace(good.Split(',')[2], "\"Infinity\"", StringComparison.Ordinal)}}]}""");
        Row("quality \"NaN\"", HttpStatusCode.BadRequest, "invalid_quality", $$"""{"identityId":"{{Victim}}","embeddings":[{{good}}],"qualities":["NaN"]}""");
        Row("image: invalid base64", Unprocessable, "invalid_image", $$"""{"identityId":"{{Victim}}","images":["***"]}""");
        Add(cases, verify, "image: PNG declaring 60000×60000", Unprocessable, "image_too_large",
            () => Json(ApiClient.ToJson(new { identityId = Victim, images = new[] { Convert.ToBase64String(HostileImages.DeclaredSizeBomb()) } })));
        Row("empty body", HttpStatusCode.BadRequest, "invalid_request", "");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static HostileEndpoint Endpoint(string method, string route) => Endpoints.Single(e => e.Method == method && e.Route == route);

    private static void Add(List<HostileCase> cases, HostileEndpoint endpoint, string input, HttpStatusCode status, string code, Func<HttpContent> content) =>
        cases.Add(new(endpoint.Key, input, status, code, () => Request(endpoint.Method, endpoint.Path(), content())));

    private static HttpRequestMessage Request(string method, string path, HttpContent? content) =>
        new(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = content };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static MultipartFormDataContent Multipart(params (string Field, byte[] Bytes, string Type)[] files)
    {
        var content = new MultipartFormDataContent();
        var i = 0;
        foreach (var (field, bytes, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            content.Add(part, field, $"file{i++}");
        }

        return content;
    }

    private static float[] GoodEmbedding() => Faces.Sample("probe");

    private static string Vector(float[] values) => ApiClient.ToJson(values);

    private static string SamplesJson(float[] embedding) => SamplesRaw(Vector(embedding));

    private static string SamplesRaw(string embeddingJson, string quality = "1", string id = "bad") =>
        $$"""{"samples":[{"id":{{ApiClient.ToJson(id)}},"embedding":{{embeddingJson}},"quality":{{quality}}}]}""";

    private static string ImagesJson(byte[] image) => ApiClient.ToJson(new { images = new[] { Convert.ToBase64String(image) } });

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>An endpoint of the matrix: method, route as the server maps it, and a body it would accept (null: none).</summary>
public sealed record HostileEndpoint(string Method, string Route, string? Body)
{
    public string Key => $"{Method} {Route}";

    /// <summary>The route with the victim's ids filled in, or <paramref name="route"/> when given.</summary>
    public string Path(string? route = null) =>
        (route ?? Route).Replace("{id}", HostileInputs.Victim, StringComparison.Ordinal)
            .Replace("{sampleId}", HostileInputs.VictimSample, StringComparison.Ordinal);
}
