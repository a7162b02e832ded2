namespace FaceGallery.Inference.Aggregation;

/// <summary>One face of a set: its embedding (any norm; aggregators normalise) and its quality in [0,1].</summary>
public readonly record struct SetMember(ReadOnlyMemory<float> Embedding, float Quality);
