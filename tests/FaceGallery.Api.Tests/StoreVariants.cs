namespace FaceGallery.Api.Tests;

// Each contract runs once per store: the same HTTP behaviour whatever holds the data.

public sealed class EmbeddedIdentityApiTests() : IdentityApiContract(StoreKind.Embedded);

public sealed class PostgresIdentityApiTests() : IdentityApiContract(StoreKind.Postgres);
