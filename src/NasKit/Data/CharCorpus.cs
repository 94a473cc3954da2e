using NasKit.Benchmarks;
using static TorchSharp.torch;

namespace NasKit.Data;

/// <summary>
/// A character-level text corpus split in order into training and validation text, as nanoGPT's
/// <c>data/shakespeare_char/prepare.py</c> does: the vocabulary is the sorted set of distinct characters of the whole
/// text, the first <see cref="TrainFraction"/> of the characters train and the rest validate.
/// </summary>
public sealed class CharCorpus
{
    public string Name { get; }
    /// <summary>The distinct characters, sorted by code point; a token is its index here.</summary>
    public IReadOnlyList<char> Vocabulary { get; }
    public int VocabularySize => Vocabulary.Count;
    public double TrainFraction { get; }
    /// <summary>Token ids of the training text and of the validation text.</summary>
    public long[] Train { get; }
    public long[] Valid { get; }

    private readonly Dictionary<char, long> _index;

    public CharCorpus(string name, string text, double trainFraction = 0.9)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!(trainFraction > 0 && trainFraction < 1)) throw new ArgumentOutOfRangeException(nameof(trainFraction), $"The training fraction must be in (0, 1), got {trainFraction}.");
        var chars = text.Distinct().Order().ToArray();
        if (chars.Length < 2) throw new BenchmarkDataException($"Corpus '{name}' has {chars.Length} distinct character(s); a language model needs at least 2.");
        (Name, Vocabulary, TrainFraction) = (name, chars, trainFraction);
        _index = chars.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (long)x.i);
        var ids = Encode(text);
        int n = (int)(ids.Length * trainFraction); // int(n*0.9), as prepare.py
        (Train, Valid) = (ids[..n], ids[n..]);
    }

    /// <summary>Tiny Shakespeare from the data locator (<c>tiny-shakespeare/input.txt</c>), nanoGPT's 90/10 split.</summary>
    public static CharCorpus TinyShakespeare(DataLocator? locator = null) =>
        (locator ?? DataLocator.Default).LoadOnce(l => Read(l.Find("tiny-shakespeare/input.txt"), "tiny-shakespeare"));

    /// <summary>A UTF-8 text file as a corpus; a file too short to hold training and validation text is refused.</summary>
    public static CharCorpus Read(string path, string? name = null, double trainFraction = 0.9)
    {
        string text;
        try { text = File.ReadAllText(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (System.Text.DecoderFallbackException) { throw new BenchmarkDataException($"{path} is not UTF-8 text; a character corpus is read as UTF-8."); }
        if (text.Length < 1000) throw new BenchmarkDataException($"{path} holds {text.Length} characters; a corpus needs at least 1,000 (is the file truncated?).");
        return new CharCorpus(name ?? Path.GetFileNameWithoutExtension(path), text, trainFraction);
    }

    public long[] Encode(string text)
    {
        var ids = new long[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = _index.TryGetValue(text[i], out var id) ? id
                : throw new ArgumentException($"Character '{text[i]}' (U+{(int)text[i]:X4}) at position {i} is not in corpus '{Name}''s vocabulary of {VocabularySize}.");
        return ids;
    }

    public string Decode(IEnumerable<long> ids) => new(ids.Select(id => id >= 0 && id < VocabularySize ? Vocabulary[(int)id]
        : throw new ArgumentOutOfRangeException(nameof(ids), $"Token {id} is outside the vocabulary 0..{VocabularySize - 1}.")).ToArray());

    /// <summary>
    /// A batch of <paramref name="batch"/> windows of <paramref name="context"/> tokens at uniform random offsets of the
    /// split (nanoGPT's <c>get_batch</c>): inputs and the same windows shifted by one token as targets, both
    /// (batch, context) int64 on <paramref name="device"/>.
    /// </summary>
    public (Tensor Inputs, Tensor Targets) Batch(bool valid, int batch, int context, Random rng, Device? device = null)
    {
        var data = valid ? Valid : Train;
        if (batch < 1 || context < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"Batch and context must be at least 1, got {batch} and {context}.");
        if (data.Length <= context) throw new ArgumentException($"The {(valid ? "validation" : "training")} text of '{Name}' has {data.Length} tokens, too few for a context of {context}.");
        var x = new long[batch * context];
        var y = new long[batch * context];
        for (int b = 0; b < batch; b++)
        {
            int start = rng.Next(data.Length - context);
            Array.Copy(data, start, x, b * context, context);
            Array.Copy(data, start + 1, y, b * context, context);
        }
        var inputs = tensor(x, [batch, context], dtype: ScalarType.Int64);
        var targets = tensor(y, [batch, context], dtype: ScalarType.Int64);
        return device is null || device.type == TorchSharp.DeviceType.CPU ? (inputs, targets) : (inputs.to(device), targets.to(device));
    }
}
