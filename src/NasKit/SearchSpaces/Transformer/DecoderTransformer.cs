using NasKit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasKit.SearchSpaces.Transformer;

/// <summary>
/// A decoder-only Transformer language model (GPT) built from a <see cref="DecoderConfig"/>: token ids (batch, time)
/// in, next-token logits (batch, time, vocabulary) out. With the nanoGPT baseline configuration it is nanoGPT's
/// <c>model.py</c> with <c>bias=False</c>: the same modules, parameter count and initialisation (normal(0, 0.02), the
/// residual output projections normal(0, 0.02/√(2·layers))), drawn from the given seed's own generator.
/// </summary>
public sealed class DecoderTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding? wpe;
    private readonly Tensor? sinusoid;
    private readonly Dropout drop;
    private readonly ModuleList<DecoderBlock> blocks;
    private readonly LayerNorm ln_f;

    public DecoderConfig Config { get; }

    /// <summary>
    /// True (the default): attention by libtorch's fused scaled_dot_product_attention. False: the same arithmetic
    /// written out (masked softmax of q·kᵀ/√d, times v), which supports second derivatives (GraSP's Hessian-gradient
    /// product); libtorch's fused CPU kernel has no double backward.
    /// </summary>
    public bool FusedAttention
    {
        get => blocks.Count == 0 || blocks[0].Attention.Fused;
        set { foreach (var b in blocks) b.Attention.Fused = value; }
    }

    public DecoderTransformer(DecoderConfig config, int seed) : base(nameof(DecoderTransformer))
    {
        config.Validate();
        Config = config;
        wte = nn.Embedding(config.Vocabulary, config.Width);
        if (config.Position == PositionKind.Learned) wpe = nn.Embedding(config.Context, config.Width);
        if (config.Position == PositionKind.Sinusoidal) sinusoid = PositionalEncodings.Sinusoidal(config.Context, config.Width);
        drop = nn.Dropout(config.Dropout);
        blocks = new ModuleList<DecoderBlock>(config.Layers.Select(l => new DecoderBlock(config, l)).ToArray());
        ln_f = nn.LayerNorm(config.Width, bias: false);
        RegisterComponents(); // registers the sinusoid table, when there is one, as a buffer
        Initialise(seed);
    }

    // GPT-2's initialisation, as nanoGPT's _init_weights plus its scaled residual projections.
    private void Initialise(int seed)
    {
        using var g = new Generator((ulong)seed);
        using var _ = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers.Count);
        foreach (var (name, p) in named_parameters())
        {
            if (p.dim() < 2) continue; // layer-norm weights stay 1
            using var values = normal(0, name.EndsWith("proj.weight", StringComparison.Ordinal) ? residualStd : 0.02, p.shape, generator: g);
            p.copy_(values);
        }
    }

    public override Tensor forward(Tensor tokens)
    {
        long t = tokens.shape[1];
        if (t > Config.Context) throw new ArgumentException($"The model's context is {Config.Context} tokens; got a sequence of {t}.");
        var x = wte.call(tokens);
        if (wpe is not null)
        {
            using var positions = arange(t, dtype: ScalarType.Int64, device: tokens.device);
            using var pe = wpe.call(positions);
            x = x.Plus(pe);
        }
        else if (sinusoid is not null)
        {
            using var pe = sinusoid.narrow(0, 0, t);
            x = x.Plus(pe);
        }
        x = drop.call(x);
        foreach (var block in blocks) x = block.call(x);
        x = ln_f.call(x);
        return F.linear(x, wte.weight!); // output layer tied to the token embedding
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="tokens"/> tokens sampled from the softmax at
    /// <paramref name="temperature"/> with a seeded generator, cropping to the context as nanoGPT's <c>generate</c>.
    /// </summary>
    public long[] Generate(IReadOnlyList<long> prompt, int tokens, int seed, double temperature = 1.0)
    {
        if (prompt.Count == 0) throw new ArgumentException("Generation needs a prompt of at least one token.");
        if (!(temperature > 0)) throw new ArgumentException($"The temperature must be positive, got {temperature}.");
        var device = wte.weight!.device;
        using var g = new Generator((ulong)seed, device);
        using var _ = no_grad();
        bool wasTraining = training;
        eval();
        var sequence = prompt.ToList();
        try
        {
            for (int i = 0; i < tokens; i++)
            {
                using var scope = NewDisposeScope();
                var window = sequence.Skip(Math.Max(0, sequence.Count - Config.Context)).ToArray();
                var input = tensor(window, [1, window.Length], dtype: ScalarType.Int64, device: device);
                var logits = forward(input).select(1, window.Length - 1);
                using var temp = temperature.ToScalar();
                var probs = F.softmax(logits.div(temp), -1);
                sequence.Add(multinomial(probs, 1, generator: g).cpu().item<long>());
            }
        }
        finally { train(wasTraining); }
        return sequence.ToArray();
    }
}

/// <summary>A pre-norm Transformer block: x + attention(norm(x)), then x + MLP(norm(x)).</summary>
internal sealed class DecoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1, ln_2;
    private readonly CausalSelfAttention attn;
    private readonly Linear c_fc, mlp_proj;

    internal CausalSelfAttention Attention => attn;
    private readonly Dropout mlp_drop;

    public DecoderBlock(DecoderConfig config, DecoderLayerConfig layer) : base(nameof(DecoderBlock))
    {
        ln_1 = nn.LayerNorm(config.Width, bias: false);
        attn = new CausalSelfAttention(config, layer);
        ln_2 = nn.LayerNorm(config.Width, bias: false);
        c_fc = nn.Linear(config.Width, (long)layer.MlpRatio * config.Width, hasBias: false);
        mlp_proj = nn.Linear((long)layer.MlpRatio * config.Width, config.Width, hasBias: false);
        mlp_drop = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var a = attn.call(ln_1.call(x));
        var h = x.Plus(a);
        using var m = mlp_drop.call(mlp_proj.call(F.gelu(c_fc.call(ln_2.call(h)))));
        return h.Plus(m);
    }
}

/// <summary>Causal self-attention in one of the <see cref="AttentionKind"/>s, with rotary or ALiBi positions when asked.</summary>
internal sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_attn, c_proj;
    private readonly Dropout resid_drop;
    private readonly int _heads, _keyValueHeads, _headSize;
    private readonly long _width;
    private readonly double _dropout;
    private readonly Tensor? _cos, _sin, _mask;

    internal bool Fused { get; set; } = true;

    public CausalSelfAttention(DecoderConfig config, DecoderLayerConfig layer) : base(nameof(CausalSelfAttention))
    {
        (_width, _heads, _headSize, _dropout) = (config.Width, layer.Heads, config.Width / layer.Heads, config.Dropout);
        _keyValueHeads = config.Attention == AttentionKind.MultiQuery ? 1 : _heads;
        c_attn = nn.Linear(_width, _width + 2L * _keyValueHeads * _headSize, hasBias: false);
        c_proj = nn.Linear(_width, _width, hasBias: false);
        resid_drop = nn.Dropout(config.Dropout);
        RegisterComponents();
        if (config.Position == PositionKind.Rotary)
        {
            (_cos, _sin) = PositionalEncodings.Rotary(config.Context, _headSize);
            register_buffer("rotary_cos", _cos, persistent: false);
            register_buffer("rotary_sin", _sin, persistent: false);
        }
        // Full causal attention without ALiBi needs no mask tensor: scaled_dot_product_attention's is_causal does it.
        if (config.Position == PositionKind.Alibi || config.Attention == AttentionKind.Local)
        {
            _mask = PositionalEncodings.AttentionBias(config.Context, _heads, config.Attention == AttentionKind.Local ? config.Window : 0,
                                                      config.Position == PositionKind.Alibi);
            register_buffer("attention_bias", _mask, persistent: false);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        long kv = (long)_keyValueHeads * _headSize;
        var qkv = c_attn.call(x);
        var q = qkv.narrow(2, 0, _width).view(b, t, _heads, _headSize).transpose(1, 2);
        var k = qkv.narrow(2, _width, kv).view(b, t, _keyValueHeads, _headSize).transpose(1, 2);
        var v = qkv.narrow(2, _width + kv, kv).view(b, t, _keyValueHeads, _headSize).transpose(1, 2);
        if (_cos is not null)
        {
            var cos = _cos.narrow(0, 0, t);
            var sin = _sin!.narrow(0, 0, t);
            q = PositionalEncodings.Rotate(q, cos, sin);
            k = PositionalEncodings.Rotate(k, cos, sin);
        }
        if (_keyValueHeads != _heads)
        {
            k = k.expand(b, _heads, t, _headSize);
            v = v.expand(b, _heads, t, _headSize);
        }
        double p = training ? _dropout : 0;
        var mask = _mask?.narrow(1, 0, t).narrow(2, 0, t);
        var y = !Fused ? Unfused(q, k, v, mask, t, p)
            : mask is null ? F.scaled_dot_product_attention(q, k, v, p: p, is_casual: true)
            : F.scaled_dot_product_attention(q, k, v, mask, p: p);
        y = y.transpose(1, 2).contiguous().view(b, t, _width);
        return resid_drop.call(c_proj.call(y)).MoveToOuterDisposeScope();
    }

    private Tensor Unfused(Tensor q, Tensor k, Tensor v, Tensor? mask, long t, double p)
    {
        using var scale = (1.0 / Math.Sqrt(_headSize)).ToScalar();
        var scores = q.matmul(k.transpose(-2, -1)).mul(scale);
        if (mask is not null) scores = scores.Plus(mask);
        else
        {
            using var negativeInfinity = double.NegativeInfinity.ToScalar();
            using var future = ones(t, t, dtype: ScalarType.Bool, device: q.device).triu(1);
            scores = scores.masked_fill(future, negativeInfinity);
        }
        var weights = F.softmax(scores, -1);
        if (p > 0) weights = F.dropout(weights, p, training);
        return weights.matmul(v);
    }
}

/// <summary>The fixed tensors of the positional schemes, computed once per network.</summary>
public static class PositionalEncodings
{
    /// <summary>PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)) (Vaswani et al. 2017), (context, d).</summary>
    public static Tensor Sinusoidal(int context, int width)
    {
        var pe = new float[context * width];
        for (int t = 0; t < context; t++)
            for (int i = 0; i < width / 2; i++)
            {
                double angle = t / Math.Pow(10000, 2.0 * i / width);
                pe[t * width + 2 * i] = (float)Math.Sin(angle);
                pe[t * width + 2 * i + 1] = (float)Math.Cos(angle);
            }
        return tensor(pe, [context, width]);
    }

    /// <summary>
    /// The rotary tables cos(θ), sin(θ), (context, head size), θ[t, i] = t·10000^(−2i/d) for the first half of the head
    /// and repeated for the second: the rotate-half (GPT-NeoX) pairing of dimensions i and i + d/2.
    /// </summary>
    public static (Tensor Cos, Tensor Sin) Rotary(int context, int headSize)
    {
        int half = headSize / 2;
        var cos = new float[context * headSize];
        var sin = new float[context * headSize];
        for (int t = 0; t < context; t++)
            for (int i = 0; i < half; i++)
            {
                double angle = t * Math.Pow(10000, -2.0 * i / headSize);
                cos[t * headSize + i] = cos[t * headSize + i + half] = (float)Math.Cos(angle);
                sin[t * headSize + i] = sin[t * headSize + i + half] = (float)Math.Sin(angle);
            }
        return (tensor(cos, [context, headSize]), tensor(sin, [context, headSize]));
    }

    /// <summary>x·cos + rotate_half(x)·sin, rotate_half(x) = (−x₂, x₁) for the halves x₁, x₂ of the last dimension.</summary>
    public static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return x.mul(cos).Plus(rotated.mul(sin)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ALiBi's head slopes (Press et al. 2022, the reference <c>get_slopes</c>): 2^(−8h/n) for h = 1..n when n is a
    /// power of two; otherwise those of the nearest lower power of two followed by every other slope of the next one.
    /// </summary>
    public static double[] AlibiSlopes(int heads)
    {
        static double[] PowerOfTwo(int n) => Enumerable.Range(1, n).Select(h => Math.Pow(2, -8.0 * h / n)).ToArray();
        if ((heads & (heads - 1)) == 0) return PowerOfTwo(heads);
        int closest = 1 << (int)Math.Floor(Math.Log2(heads));
        return PowerOfTwo(closest).Concat(PowerOfTwo(2 * closest).Where((_, i) => i % 2 == 0).Take(heads - closest)).ToArray();
    }

    /// <summary>
    /// The additive attention bias (heads or 1, context, context): −∞ above the diagonal and, with a window w > 0, for
    /// keys w or more tokens back; with ALiBi, −slope_h·(i − j) on the allowed entries.
    /// </summary>
    public static Tensor AttentionBias(int context, int heads, int window, bool alibi)
    {
        var slopes = alibi ? AlibiSlopes(heads) : [0.0];
        var bias = new float[slopes.Length * context * context];
        for (int h = 0; h < slopes.Length; h++)
            for (int i = 0; i < context; i++)
                for (int j = 0; j < context; j++)
                {
                    bool allowed = j <= i && (window == 0 || i - j < window);
                    bias[(h * context + i) * context + j] = allowed ? (float)(-slopes[h] * (i - j)) : float.NegativeInfinity;
                }
        return tensor(bias, [slopes.Length, context, context]);
    }
}
