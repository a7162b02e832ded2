namespace FaceGallery.Server.Tenancy;

/// <summary>One configured tenant: <c>FaceGallery:Tenants:&lt;name&gt;:ApiKey</c>.</summary>
public sealed class TenantSettings
{
    public string? ApiKey { get; set; }
}
