using FaceGallery.Server.Apis;
using FaceGallery.Server.Health;
using FaceGallery.Server.Hosting;
using FaceGallery.Server.Telemetry;
using FaceGallery.Server.Tenancy;

var builder = WebApplication.CreateBuilder(WebRootLocation.Options(args));

builder.AddGalleryOptions();
builder.AddGalleryStorage();
builder.AddGalleryAggregation();
builder.AddGalleryCluster();
builder.AddGalleryFacePipeline();
builder.AddGalleryApi();
builder.AddTenancy();
builder.AddGalleryRateLimits();
builder.AddGalleryHealthChecks();
builder.AddGalleryTelemetry();
builder.AddGalleryOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseTenancy();
app.UseRateLimiter();
app.UseGalleryRequestMetrics();

app.MapIdentitiesApi();
app.MapFacesApi();
app.MapSearchApi();
app.MapClusterApi();
app.MapModelsApi();
app.MapGalleryHealthChecks();
app.MapGalleryTelemetry();
app.MapGalleryOpenApi();
app.MapGalleryDashboard();

await app.RunAsync();

/// <summary>Entry point; public and partial so integration tests can host it.</summary>
public partial class Program;
