using FaceGallery.Server.Apis;
using FaceGallery.Server.Health;
using FaceGallery.Server.Hosting;
using FaceGallery.Server.Tenancy;

var builder = WebApplication.CreateBuilder(args);

builder.AddGalleryOptions();
builder.AddGalleryStorage();
builder.AddGalleryAggregation();
builder.AddGalleryCluster();
builder.AddGalleryFacePipeline();
builder.AddGalleryApi();
builder.AddGalleryHealthChecks();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseTenancy();

app.MapIdentitiesApi();
app.MapFacesApi();
app.MapSearchApi();
app.MapClusterApi();
app.MapModelsApi();
app.MapGalleryHealthChecks();

await app.RunAsync();

/// <summary>Entry point; public and partial so integration tests can host it.</summary>
public partial class Program;
