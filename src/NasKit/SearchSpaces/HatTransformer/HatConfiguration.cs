using System.Globalization;
using NasKit.Spaces;

namespace NasKit.SearchSpaces.HatTransformer;

/// <summary>
/// One encoder-decoder Transformer of HAT's SuperTransformer space (Wang et al., ACL 2020) as HAT's latency data
/// sets describe it: HAT's 10-dimensional feature vector (embedding dims, layer numbers, per-layer averages of FFN
/// dims and heads, the average number of encoder layers each decoder layer attends to).
/// </summary>
public sealed class HatConfiguration : IArchitecture
{
    public static IReadOnlyList<string> FeatureNames { get; } =
    [
        "encoder_embed_dim", "encoder_layer_num", "encoder_ffn_embed_dim_avg", "encoder_self_attention_heads_avg", "decoder_embed_dim",
        "decoder_layer_num", "decoder_ffn_embed_dim_avg", "decoder_self_attention_heads_avg", "decoder_ende_attention_heads_avg", "decoder_arbitrary_ende_attn_avg",
    ];

    /// <summary>HAT's normalising factors (latency_predictor.py's --feature-norm default), one per feature.</summary>
    public static IReadOnlyList<double> FeatureNorm { get; } = [640, 6, 2048, 6, 640, 6, 2048, 6, 6, 2];

    private readonly double[] _features;

    public IReadOnlyList<double> Features => _features;

    public HatConfiguration(IReadOnlyList<double> features)
    {
        if (features.Count != FeatureNames.Count) throw new ArgumentException($"A HAT configuration has {FeatureNames.Count} features, got {features.Count}.");
        for (int i = 0; i < features.Count; i++)
            if (!double.IsFinite(features[i]) || features[i] < 0)
                throw new ArgumentException($"HAT feature {FeatureNames[i]} must be a finite number of at least 0, got {features[i]}.");
        _features = features.ToArray();
    }

    public string ToText() => string.Join(", ", FeatureNames.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n}={_features[i]:0.###}")));
    public override string ToString() => ToText();
    public bool Equals(IArchitecture? other) => other is HatConfiguration h && h._features.AsSpan().SequenceEqual(_features);
    public override bool Equals(object? obj) => obj is HatConfiguration h && Equals(h);
    public override int GetHashCode() { var h = new HashCode(); foreach (var f in _features) h.Add(f); return h.ToHashCode(); }
}
