namespace FaceGallery.Contracts;

/// <summary>
/// A request the gallery refuses for a reason the caller can fix. Crosses silo boundaries intact,
/// so the HTTP host turns it into the same problem+json wherever the grain ran.
/// </summary>
[GenerateSerializer, Alias("fg.GalleryException")]
public sealed class GalleryException : Exception
{
    public GalleryException()
    {
        Code = ErrorCodes.Internal;
    }

    public GalleryException(string message) : base(message)
    {
        Code = ErrorCodes.Internal;
    }

    public GalleryException(string message, Exception innerException) : base(message, innerException)
    {
        Code = ErrorCodes.Internal;
    }

    public GalleryException(string code, string message) : base(message)
    {
        Code = code;
    }

    [Id(0)]
    public string Code { get; init; }
}
