using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace FaceGallery.Api.Tests;

/// <summary>
/// Enrollment and search from real images, end to end over HTTP through the real face models
/// (BlazeFace, dlib landmarks and ResNet) and the embedded store.
/// </summary>
public sealed class FaceEnrollmentTests(FaceServerFixture fixture, ITestOutputHelper output) : IClassFixture<FaceServerFixture>
{
    private const int EnrolledPerPerson = 8;

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Johns_enrolled_from_eight_chips_each_are_found_at_rank_one_from_their_other_three()
    {
        var johns = FaceImages.Johns();
        Assert.Equal(5, johns.Count);
        foreach (var (person, files) in johns)
        {
            var (status, body) = await PostMultipartAsync($"/v1/identities/johns.{person}/faces?aligned=true", files.Take(EnrolledPerPerson));
            Assert.Equal(HttpStatusCode.OK, status);
            // dlib's John_Shimkus folder holds one chip twice (same bytes): that one is a duplicate.
            Assert.True(EnrolledPerPerson == (int)body!["accepted"]! + (int)body["duplicates"]!, body.ToJsonString());
            Assert.Equal(EnrolledPerPerson, body["faces"]!.AsArray().Count);
            Assert.Empty(body["rejected"]!.AsArray());
        }

        var probes = 0;
        foreach (var (person, files) in johns)
        {
            foreach (var probe in files.Skip(EnrolledPerPerson))
            {
                // Searches go through detection: BlazeFace finds the face inside a 150×150 chip too.
                var (status, body, _) = await Client.PostAsync("/v1/search",
                    new { images = new[] { Convert.ToBase64String(await File.ReadAllBytesAsync(probe)) }, k = 5 });
                Assert.Equal(HttpStatusCode.OK, status);
                var matches = body!["matches"]!.AsArray().Where(m => ((string?)m!["identityId"])!.StartsWith("johns.", StringComparison.Ordinal)).ToArray();
                output.WriteLine($"{person}/{Path.GetFileName(probe)} → {(string?)matches[0]!["identityId"]} {(float)matches[0]!["score"]!:F3}, next {(float)matches[1]!["score"]!:F3}");
                Assert.Equal($"johns.{person}", (string?)matches[0]!["identityId"]);
                Assert.Single(body["probe"]!["faces"]!.AsArray());
                probes++;
            }
        }

        Assert.Equal(15, probes);
    }

    [Fact]
    public async Task A_group_photo_enrolls_its_largest_face_with_box_and_quality()
    {
        var (status, body) = await PostMultipartAsync("/v1/identities/group.largest/faces", [FaceImages.Photo("2008_001322.jpg")]);
        Assert.Equal(HttpStatusCode.OK, status);
        var face = Assert.Single(body!["faces"]!.AsArray())!;
        var box = face["box"]!.AsArray().Select(v => (int)v!).ToArray();
        Assert.Equal(4, box.Length);
        Assert.True(box[2] > 20 && box[3] > 20, $"box {string.Join(',', box)}");
        var quality = (float)face["quality"]!;
        Assert.InRange(quality, 0.01f, 1f);
        Assert.StartsWith("i-", (string?)face["sampleId"], StringComparison.Ordinal);
        Assert.Equal(1, (int)body["sampleCount"]!);

        // The same photo with several faces refused on request.
        (status, body) = await PostMultipartAsync("/v1/identities/group.strict/faces?multipleFaces=reject", [FaceImages.Photo("2008_001322.jpg")]);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("multiple_faces", (string?)body!["code"]);
    }

    [Fact]
    public async Task An_image_without_a_face_is_rejected_and_alone_answers_422_no_face()
    {
        var blank = Convert.ToBase64String(FaceImages.Blank());
        var (status, body, type) = await Client.PostAsync("/v1/identities/nobody/faces", new { images = new[] { blank } });
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("no_face", (string?)body!["code"]);
        var rejected = Assert.Single(body["rejected"]!.AsArray())!;
        Assert.Equal(0, (int)rejected["index"]!);
        Assert.Equal("no_face", (string?)rejected["code"]);

        // Beside a usable image it is listed, and the good one is enrolled.
        var photo = Convert.ToBase64String(await File.ReadAllBytesAsync(FaceImages.Photo("Tom_Cruise_avp_2014_4.jpg")));
        (status, body, _) = await Client.PostAsync("/v1/identities/partly/faces", new { images = new[] { blank, photo } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, (int)body!["accepted"]!);
        Assert.Equal(1, (int)body["faces"]![0]!["index"]!);
        Assert.Equal("no_face", (string?)body["rejected"]![0]!["code"]);
        Assert.Equal(0, (int)body["rejected"]![0]!["index"]!);
    }

    [Theory]
    [InlineData("corrupt", "invalid_image")]
    [InlineData("huge", "image_too_large")]
    [InlineData("text", "unsupported_media")]
    [InlineData("notbase64", "invalid_image")]
    public async Task Bad_images_are_refused_with_their_code(string kind, string code)
    {
        var photo = await File.ReadAllBytesAsync(FaceImages.Photo("Tom_Cruise_avp_2014_4.jpg"));
        var image = kind switch
        {
            "corrupt" => Convert.ToBase64String(photo.AsSpan(0, 100)), // cut inside the JPEG header
            "huge" => Convert.ToBase64String(FaceImages.Blank(1200, 1200)), // 1.44 MP over this server's 1 MP limit
            "text" => Convert.ToBase64String("just some text, not an image"u8.ToArray()),
            _ => "***",
        };
        var (status, body, _) = await Client.PostAsync($"/v1/identities/bad.{kind}/faces", new { images = new[] { image } });
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal(code, (string?)body!["code"]);
        Assert.Equal(code, (string?)body["rejected"]![0]!["code"]);
        var (getStatus, _, _) = await Client.GetJsonAsync($"/v1/identities/bad.{kind}");
        Assert.Equal(HttpStatusCode.NotFound, getStatus);
    }

    [Fact]
    public async Task A_resent_image_is_a_duplicate_whether_multipart_or_base64()
    {
        var path = FaceImages.Photo("Tom_Cruise_avp_2014_4.jpg");
        var (status, body) = await PostMultipartAsync("/v1/identities/tom/faces", [path]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, (int)body!["accepted"]!);
        var sampleId = (string?)body["faces"]![0]!["sampleId"];
        var version = (long)body["descriptorVersion"]!;

        (status, var json, _) = await Client.PostAsync("/v1/identities/tom/faces",
            new { images = new[] { Convert.ToBase64String(await File.ReadAllBytesAsync(path)) } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, (int)json!["accepted"]!);
        Assert.Equal(1, (int)json["duplicates"]!);
        Assert.Equal(sampleId, (string?)json["duplicateIds"]![0]);
        Assert.Equal(1, (int)json["sampleCount"]!);
        Assert.Equal(version, (long)json["descriptorVersion"]!);
    }

    [Fact]
    public async Task Verify_takes_image_probes_and_models_reports_the_loaded_embedder()
    {
        var john = FaceImages.Johns()[0];
        var (status, _) = await PostMultipartAsync($"/v1/identities/verify.{john.Person}/faces?aligned=true", john.Files.Take(4));
        Assert.Equal(HttpStatusCode.OK, status);
        var probes = john.Files.Skip(4).Take(2).Select(f => Convert.ToBase64String(File.ReadAllBytes(f))).ToArray();
        var (verifyStatus, body, _) = await Client.PostAsync("/v1/verify", new { identityId = $"verify.{john.Person}", images = probes });
        Assert.Equal(HttpStatusCode.OK, verifyStatus);
        output.WriteLine($"verify score {(float)body!["score"]!:F3}");
        Assert.True((float)body["score"]! > 0.9f);

        (verifyStatus, body, _) = await Client.GetJsonAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, verifyStatus);
        var embedder = body!["embedder"]!;
        Assert.True((bool)embedder["loaded"]!);
        Assert.Equal(128, (int)embedder["dimension"]!);
        Assert.Equal(64, ((string?)embedder["sha256"])!.Length);
        Assert.Equal("CPUExecutionProvider", (string?)embedder["provider"]);
        // The estimator behind every face quality this server reports and stores (the default, learned v2).
        var quality = body["quality"]!;
        Assert.Equal("quality-dlib128-v2", (string?)quality["name"]);
        Assert.True((bool)quality["loaded"]!);
        Assert.Equal(64, ((string?)quality["sha256"])!.Length);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostMultipartAsync(string path, IEnumerable<string> files)
    {
        using var content = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, "images", Path.GetFileName(file));
        }

        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
