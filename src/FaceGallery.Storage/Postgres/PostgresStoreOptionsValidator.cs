using Microsoft.Extensions.Options;

namespace FaceGallery.Storage.Postgres;

/// <summary>Checks the data-annotation ranges of <see cref="PostgresStoreOptions"/> (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>;
