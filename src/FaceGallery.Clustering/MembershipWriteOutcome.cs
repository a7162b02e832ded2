namespace FaceGallery.Clustering;

/// <summary>Why a conditional membership write was applied or refused.</summary>
internal enum MembershipWriteOutcome
{
    Applied,
    TableVersionMissing,
    TableEtagMismatch,
    TableVersionNotAdvanced,
    RowAlreadyExists,
    RowMissingOrEtagMismatch,
}
