using Microsoft.Extensions.Options;

namespace FaceGallery.Storage.Embedded;

/// <summary>Checks the data-annotation ranges of <see cref="EmbeddedStoreOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class EmbeddedStoreOptionsValidator : IValidateOptions<EmbeddedStoreOptions>;
