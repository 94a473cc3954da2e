using NasKit.SearchSpaces.Transformer;
using NasKit.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasKit.Tests.SearchSpaces.Transformer;

/// <summary>
/// Logits pinned by an independent numpy implementation of the same network (pre-norm GPT, bias-free, tied output;
/// attention, rotary, ALiBi and sinusoidal tables written from the papers), run with Debian 12's numpy/scipy:
/// <c>/usr/bin/python3 decoder_ref.py</c> (beside this file).
/// Every parameter is filled with 0.3·sin(0.37·i + phase(name)), phase = (Σ code points of the name mod 97)·0.1,
/// i the flat index; vocabulary 11, context 8, width 16, layers (2 heads, MLP 2) and (4 heads, MLP 1), tokens
/// [[1,5,2,9,0,3],[4,4,10,7,6,1]].
/// </summary>
public class DecoderTransformerTests
{
    private static readonly long[] Tokens = [1, 5, 2, 9, 0, 3, 4, 4, 10, 7, 6, 1];

    private static DecoderConfig Tiny(AttentionKind attention, int window, PositionKind position) =>
        new(11, 8, 16, [new DecoderLayerConfig(2, 2), new DecoderLayerConfig(4, 1)], attention, window, position);

    private static void Fill(nn.Module net)
    {
        using var _ = no_grad();
        foreach (var (name, p) in net.named_parameters())
        {
            double phase = name.Sum(c => (int)c) % 97 * 0.1;
            var values = Enumerable.Range(0, (int)p.numel()).Select(i => (float)(0.3 * Math.Sin(0.37 * i + phase))).ToArray();
            using var t = tensor(values, p.shape);
            p.copy_(t);
        }
    }

    [Theory]
    [InlineData(AttentionKind.Full, 0, PositionKind.Learned, 5.037999831380377, 1.0034909502684557, new[] { 0.048543, 0.099689, 0.13783, 0.157989 })]
    [InlineData(AttentionKind.Local, 3, PositionKind.Alibi, 3.112408489835292, 0.8246126725203257, new[] { 0.027669, 0.069197, 0.101697, 0.120929 })]
    [InlineData(AttentionKind.MultiQuery, 0, PositionKind.Rotary, 4.116231509490377, 1.218061153606992, new[] { 0.04939, 0.096003, 0.130092, 0.147209 })]
    [InlineData(AttentionKind.Full, 0, PositionKind.Sinusoidal, -4.213174164093247, 1.1827317016421333, new[] { 0.057482, 0.005637, -0.046944, -0.093401 })]
    [InlineData(AttentionKind.Full, 0, PositionKind.None, 2.8556405283020965, 0.866452278239714, new[] { 0.033001, 0.076096, 0.109263, 0.128176 })]
    [InlineData(AttentionKind.Local, 2, PositionKind.Rotary, 3.339473105019228, 0.825487154357563, new[] { 0.021087, 0.05743, 0.086281, 0.103876 })]
    public void Logits_match_an_independent_numpy_implementation(AttentionKind attention, int window, PositionKind position, double sum, double squares, double[] last)
    {
        using var scope = NewDisposeScope();
        using var net = new DecoderTransformer(Tiny(attention, window, position), seed: 0);
        Fill(net);
        net.eval();
        using var _ = no_grad();
        var z = net.forward(tensor(Tokens, [2, 6], dtype: ScalarType.Int64));
        Assert.Equal([2L, 6, 11], z.shape);
        Assert.Equal(sum, z.sum().item<float>(), 3e-4);
        Assert.Equal(squares, z.square().sum().item<float>(), 1e-4);
        var row = z[1, 5].data<float>().Take(4).ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(last[i], row[i], 2e-5);
    }

    [Fact]
    public void Parameters_are_nanoGPTs_names_and_the_analytic_count()
    {
        using var net = new DecoderTransformer(Tiny(AttentionKind.Full, 0, PositionKind.Learned), 0);
        Assert.Equal(["blocks.0.attn.c_attn.weight", "blocks.0.attn.c_proj.weight", "blocks.0.c_fc.weight", "blocks.0.ln_1.weight", "blocks.0.ln_2.weight",
                      "blocks.0.mlp_proj.weight", "blocks.1.attn.c_attn.weight", "blocks.1.attn.c_proj.weight", "blocks.1.c_fc.weight", "blocks.1.ln_1.weight",
                      "blocks.1.ln_2.weight", "blocks.1.mlp_proj.weight", "ln_f.weight", "wpe.weight", "wte.weight"],
                     net.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
        var space = new DecoderSpace();
        var rng = new Random(3);
        for (int i = 0; i < 25; i++)
        {
            var arch = space.Sample(rng);
            var config = space.Configure(arch, 65, 64);
            using var built = new DecoderTransformer(config, i);
            Assert.Equal(config.TotalParameters, built.parameters().Sum(p => p.numel()));
        }
    }

    [Fact]
    public void The_nanoGPT_baseline_has_its_published_size()
    {
        // nanoGPT prints "number of parameters: 0.80M" (without position embeddings) for 4 layers, width 128, vocabulary 65.
        var space = new DecoderSpace();
        var config = space.Configure(space.NanoGptBaseline, 65, 64);
        Assert.Equal(804_096, config.TotalParameters);
        Assert.Equal(0.80, Math.Round((config.TotalParameters - 64 * 128) / 1e6, 2));
        Assert.Equal(4 * 12L * 128 * 128 + 4 * 2 * 128, config.DecoderParameters);
        // Per layer 12·W² MACs per token and 2·W per attended key (64·65/2 keys over the context), plus the output layer.
        Assert.Equal(4 * (12L * 128 * 128 * 64 + 2 * 128 * 2080) + 65L * 128 * 64, config.ForwardMacs);
    }

    [Theory]
    [InlineData("full", "learned")]
    [InlineData("local", "alibi")]
    [InlineData("multiquery", "rotary")]
    [InlineData("full", "sinusoidal")]
    [InlineData("local", "none")]
    public void No_position_sees_a_later_token(string attention, string position)
    {
        var space = new DecoderSpace();
        var arch = space.Parse($"layers=2, width=64, attention={attention}{(attention == "local" ? ", window=8" : "")}, position={position}, dropout=0, l1.heads=4, l1.mlp=2, l2.heads=2, l2.mlp=1");
        using var scope = NewDisposeScope();
        using var net = space.Build(arch, 20, 16, seed: 1);
        net.eval();
        using var _ = no_grad();
        long[] a = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], b = (long[])a.Clone();
        b[7] = 19;
        var za = net.forward(tensor(a, [1, 12], dtype: ScalarType.Int64));
        var zb = net.forward(tensor(b, [1, 12], dtype: ScalarType.Int64));
        Assert.Equal(0, (za[.., ..7] - zb[.., ..7]).abs().max().item<float>());
        Assert.True((za[.., 7..] - zb[.., 7..]).abs().max().item<float>() > 1e-4f, "the changed token must change its own and later logits");
    }

    [Fact]
    public void Local_attention_forgets_tokens_beyond_its_window_in_one_layer()
    {
        var space = new DecoderSpace();
        var arch = space.Parse("layers=1, width=64, attention=local, window=8, position=none, dropout=0, l1.heads=2, l1.mlp=1");
        using var scope = NewDisposeScope();
        using var net = space.Build(arch, 20, 32, seed: 2);
        net.eval();
        using var _ = no_grad();
        var a = Enumerable.Range(0, 20).Select(i => (long)(i * 7 % 20)).ToArray();
        var b = (long[])a.Clone();
        b[2] = (b[2] + 1) % 20;
        var za = net.forward(tensor(a, [1, 20], dtype: ScalarType.Int64));
        var zb = net.forward(tensor(b, [1, 20], dtype: ScalarType.Int64));
        // Position 9 still sees position 2 (9 - 2 < 8); position 10 does not.
        Assert.True((za[0, 9] - zb[0, 9]).abs().max().item<float>() > 1e-5f);
        Assert.Equal(0, (za[0, 10..] - zb[0, 10..]).abs().max().item<float>());
    }

    [Theory]
    [InlineData(AttentionKind.Full, 0, PositionKind.Learned)]
    [InlineData(AttentionKind.Local, 3, PositionKind.Alibi)]
    [InlineData(AttentionKind.MultiQuery, 0, PositionKind.Rotary)]
    [InlineData(AttentionKind.Full, 0, PositionKind.Alibi)]
    public void The_written_out_attention_equals_the_fused_kernel_and_has_second_derivatives(AttentionKind attention, int window, PositionKind position)
    {
        using var scope = NewDisposeScope();
        using var fused = new DecoderTransformer(Tiny(attention, window, position), seed: 4);
        using var plain = new DecoderTransformer(Tiny(attention, window, position), seed: 4) { FusedAttention = false };
        Assert.False(plain.FusedAttention);
        var x = tensor(Tokens, [2, 6], dtype: ScalarType.Int64);
        var a = fused.forward(x);
        var b = plain.forward(x);
        Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-5), $"max difference {(a - b).abs().max().item<float>()}");
        // GraSP differentiates a gradient: only the written-out attention supports it.
        var w = plain.parameters().Where(p => p.dim() == 2).ToArray();
        var g = autograd.grad([b.square().mean()], w, retain_graph: true, create_graph: true);
        var hg = autograd.grad([g.Select(t => t.square().sum()).Aggregate((p, q) => p + q)], w, allow_unused: true);
        Assert.Contains(hg, t => t is not null && !t.IsInvalid && t.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Alibi_slopes_follow_the_reference_get_slopes()
    {
        // Press et al.'s get_slopes: 8 heads 1/2, 1/4, ..., 1/256; 6 heads: the 4-head slopes then every other 8-head slope.
        Assert.Equal([0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625], PositionalEncodings.AlibiSlopes(8));
        Assert.Equal([0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125], PositionalEncodings.AlibiSlopes(6));
    }

    [Fact]
    public void Generation_is_seeded_and_stays_in_the_vocabulary()
    {
        using var net = new DecoderTransformer(Tiny(AttentionKind.Full, 0, PositionKind.Rotary), 5);
        var a = net.Generate([1, 2], 20, seed: 7);
        Assert.Equal(22, a.Length);
        Assert.Equal(a, net.Generate([1, 2], 20, seed: 7));
        Assert.NotEqual(a, net.Generate([1, 2], 20, seed: 8));
        Assert.All(a, t => Assert.InRange(t, 0, 10));
    }

    [Fact]
    public void Invalid_configurations_are_refused_with_the_reason()
    {
        Assert.Contains("do not divide", Assert.Throws<ArgumentException>(() => new DecoderConfig(10, 8, 30, [new DecoderLayerConfig(4, 1)]).Validate()).Message);
        Assert.Contains("window", Assert.Throws<ArgumentException>(() => new DecoderConfig(10, 8, 16, [new DecoderLayerConfig(2, 1)], AttentionKind.Local).Validate()).Message);
        using var net = new DecoderTransformer(Tiny(AttentionKind.Full, 0, PositionKind.Learned), 0);
        Assert.Contains("context is 8", Assert.Throws<ArgumentException>(() => net.forward(zeros(1, 9, dtype: ScalarType.Int64))).Message);
    }
}
