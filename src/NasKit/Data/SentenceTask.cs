using System.Text.RegularExpressions;
using NasKit.Benchmarks;
using static TorchSharp.torch;

namespace NasKit.Data;

/// <summary>Sentences as token ids (no padding) with their class labels.</summary>
public sealed record LabelledSentences(IReadOnlyList<long[]> Tokens, IReadOnlyList<int> Labels)
{
    public int Count => Tokens.Count;

    public LabelledSentences Select(IEnumerable<int> indices)
    {
        var list = indices.ToArray();
        return new(list.Select(i => Tokens[i]).ToArray(), list.Select(i => Labels[i]).ToArray());
    }
}

/// <summary>
/// A sentence classification task read as Kim's CNN reproduction (harvardnlp/sent-conv-torch, <c>preprocess.py</c>)
/// reads it: one <c>label sentence</c> per line, the sentence cleaned by <see cref="CleanKim"/> (TREC) or
/// <see cref="CleanSst"/> (SST) and split on spaces, one vocabulary over every file of the task (token 0 is padding).
/// A task without a development file takes one from its training sentences per seed (<see cref="Split"/>).
/// </summary>
public sealed partial class SentenceTask
{
    public const int PaddingToken = 0;

    public string Name { get; }
    public int Classes { get; }
    /// <summary>Words by token id; entry 0 is the padding token.</summary>
    public IReadOnlyList<string> Vocabulary { get; }
    public int VocabularySize => Vocabulary.Count;
    public LabelledSentences Train { get; }
    /// <summary>The task's own development sentences, or null when they come from <see cref="Train"/> (<see cref="Split"/>).</summary>
    public LabelledSentences? Dev { get; }
    public LabelledSentences Test { get; }
    public int LongestSentence { get; }

    private SentenceTask(string name, int classes, IReadOnlyList<string> vocabulary, LabelledSentences train, LabelledSentences? dev, LabelledSentences test)
    {
        (Name, Classes, Vocabulary, Train, Dev, Test) = (name, classes, vocabulary, train, dev, test);
        LongestSentence = new[] { train, dev, test }.Where(s => s is not null).SelectMany(s => s!.Tokens).Max(t => t.Length);
    }

    /// <summary>The task names <see cref="Named"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["trec", "sst2"];

    /// <summary>TREC question types (6 classes): 5,452 training and 500 test questions; the development set is split from training.</summary>
    public static SentenceTask Trec(DataLocator? locator = null) => (locator ?? DataLocator.Default).LoadOnce(l =>
        Read("trec", CleanKim, l.Find("text-classification/TREC.train.all"), null, l.Find("text-classification/TREC.test.all"), expectedClasses: 6), "trec");

    /// <summary>SST-2 at sentence level (binary): 6,920 training, 872 development and 1,821 test sentences.</summary>
    public static SentenceTask Sst2(DataLocator? locator = null) => (locator ?? DataLocator.Default).LoadOnce(l =>
        Read("sst2", CleanSst, l.Find("text-classification/stsa.binary.train"), l.Find("text-classification/stsa.binary.dev"),
             l.Find("text-classification/stsa.binary.test"), expectedClasses: 2), "sst2");

    public static SentenceTask Named(string name, DataLocator? locator = null) => name switch
    {
        "trec" => Trec(locator),
        "sst2" => Sst2(locator),
        _ => throw new FormatException($"'{name}' is not a sentence classification task NasKit knows; use one of {string.Join(", ", Names)}."),
    };

    /// <summary>Reads a task from its files; every line must be an integer label in [0, classes) and a non-empty sentence.</summary>
    public static SentenceTask Read(string name, Func<string, string> clean, string trainPath, string? devPath, string testPath, int expectedClasses)
    {
        var word = new Dictionary<string, long>(StringComparer.Ordinal) { ["<pad>"] = PaddingToken };
        var vocabulary = new List<string> { "<pad>" };
        LabelledSentences Load(string path)
        {
            var tokens = new List<long[]>();
            var labels = new List<int>();
            int lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (line.Length == 0) continue;
                int space = line.IndexOf(' ');
                if (space <= 0 || !int.TryParse(line.AsSpan(0, space), out int label) || label < 0 || label >= expectedClasses)
                    throw new BenchmarkDataException($"{path}:{lineNumber}: expected 'label sentence' with an integer label in 0..{expectedClasses - 1}; got '{Shorten(line)}'.");
                var words = clean(line[(space + 1)..]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0) throw new BenchmarkDataException($"{path}:{lineNumber}: the sentence is empty after cleaning ('{Shorten(line)}').");
                tokens.Add(words.Select(w =>
                {
                    if (!word.TryGetValue(w, out long id)) { id = vocabulary.Count; word[w] = id; vocabulary.Add(w); }
                    return id;
                }).ToArray());
                labels.Add(label);
            }
            if (tokens.Count == 0) throw new BenchmarkDataException($"{path} holds no sentences.");
            return new(tokens, labels);
        }
        var train = Load(trainPath);
        var dev = devPath is null ? null : Load(devPath);
        var test = Load(testPath);
        var missing = Enumerable.Range(0, expectedClasses).Except(train.Labels).ToArray();
        if (missing.Length > 0) throw new BenchmarkDataException($"{trainPath}: no training sentence of class {string.Join(", ", missing)} (is the file truncated?).");
        return new SentenceTask(name, expectedClasses, vocabulary, train, dev, test);
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    /// <summary>
    /// The training and development sentences of one run. A task with its own development file uses it; otherwise,
    /// as the harvardnlp trainer, the training sentences are shuffled with the seed and the last tenth of the
    /// <paramref name="batchSize"/>-sentence batches (rounded) becomes the development set.
    /// </summary>
    public (LabelledSentences Train, LabelledSentences Dev) Split(int seed, int batchSize)
    {
        if (Dev is not null) return (Train, Dev);
        var order = Enumerable.Range(0, Train.Count).ToArray();
        new Random(seed).Shuffle(order);
        int batches = Train.Count / batchSize;
        int trainSize = (int)Math.Round(batches * 0.9, MidpointRounding.AwayFromZero) * batchSize;
        return (Train.Select(order[..trainSize]), Train.Select(order[trainSize..]));
    }

    /// <summary>
    /// Token ids (batch, length) and labels (batch) of the given sentences: each sentence after <paramref name="padding"/>
    /// padding tokens, the batch padded at the end to its longest sentence plus <paramref name="padding"/> (harvardnlp pads
    /// every sentence by 4 on both sides to the data set's longest; padding to the batch's longest gives the same
    /// convolution windows over the words with fewer all-padding ones, and short batches cost less).
    /// </summary>
    public static (Tensor Tokens, Tensor Labels) Batch(LabelledSentences sentences, ReadOnlySpan<int> indices, int padding, Device? device = null)
    {
        if (indices.Length == 0) throw new ArgumentException("A batch needs at least one sentence.");
        int longest = 0;
        foreach (int i in indices) longest = Math.Max(longest, sentences.Tokens[i].Length);
        int length = longest + 2 * padding;
        var ids = new long[indices.Length * length];
        var labels = new long[indices.Length];
        for (int b = 0; b < indices.Length; b++)
        {
            var s = sentences.Tokens[indices[b]];
            Array.Copy(s, 0, ids, b * length + padding, s.Length);
            labels[b] = sentences.Labels[indices[b]];
        }
        var x = tensor(ids, [indices.Length, length], dtype: ScalarType.Int64);
        var y = tensor(labels, [indices.Length], dtype: ScalarType.Int64);
        return device is null || device.type == TorchSharp.DeviceType.CPU ? (x, y) : (x.to(device), y.to(device));
    }

    /// <summary>harvardnlp's <c>clean_str</c> (from Kim's <c>process_data.py</c>) for every data set but SST: keep letters, digits and
    /// (),!?'`; split off 's 've n't 're 'd 'll and punctuation; lower case.</summary>
    public static string CleanKim(string s)
    {
        s = NotKept().Replace(s, " ");
        s = s.Replace("'s", " 's").Replace("'ve", " 've").Replace("n't", " n't").Replace("'re", " 're").Replace("'d", " 'd").Replace("'ll", " 'll")
             .Replace(",", " , ").Replace("!", " ! ").Replace("(", " ( ").Replace(")", " ) ").Replace("?", " ? ");
        return Spaces().Replace(s, " ").Trim().ToLowerInvariant();
    }

    /// <summary>harvardnlp's <c>clean_str_sst</c>: keep letters, digits and (),!?'`; lower case.</summary>
    public static string CleanSst(string s) => Spaces().Replace(NotKept().Replace(s, " "), " ").Trim().ToLowerInvariant();

    [GeneratedRegex(@"[^A-Za-z0-9(),!?'`]")]
    private static partial Regex NotKept();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
