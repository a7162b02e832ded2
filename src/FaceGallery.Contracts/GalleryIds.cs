namespace FaceGallery.Contracts;

/// <summary>The id rules of the public contract: 1–128 characters of [A-Za-z0-9._:-].</summary>
public static class GalleryIds
{
    public const int MaxLength = 128;
    public const string DefaultTenant = "default";

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or ':' or '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
