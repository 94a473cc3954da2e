using System.Diagnostics;
using NasKit.Analysis;
using NasKit.Data;
using NasKit.Estimation;
using NasKit.Estimation.ZeroCost;
using NasKit.Networks;
using NasKit.Runtime;
using NasKit.Spaces;
using static TorchSharp.torch;

namespace NasKit.Experiments;

/// <summary>One language model of a proxy study: its trained losses and every predictor's score before training.</summary>
public sealed record SequenceProxyRow(string Architecture, double ValidLoss, double TrainLoss, double TrainSeconds, IReadOnlyDictionary<string, double> Predictors);

/// <summary>How well a predictor ranks the trained models: Kendall τ-b and Spearman ρ of its score against −validation loss.</summary>
public sealed record PredictorCorrelation(string Predictor, double KendallTau, double Spearman, int Models);

/// <summary>
/// Lightweight Transformer Search's question (Javaheripi et al., NeurIPS 2022) for any language-model space: train
/// sampled architectures at one fixed budget and ask which training-free score ranks their validation loss, the
/// zero-cost proxies that apply to sequence models (<see cref="SequenceProxyInput"/>) or a plain count such as the
/// decoder's parameters. Each model is scored on one seeded batch before it trains, from the same initialisation.
/// </summary>
public sealed class SequenceProxyStudy<TArch>(ISequenceModelSpace<TArch> space, CharCorpus corpus, LanguageModelRecipe recipe, int seed)
    where TArch : class, IArchitecture
{
    public LanguageModelRecipe Recipe { get; } = recipe.Validated();
    /// <summary>Proxies by catalog name; the default is every one that applies to sequence models.</summary>
    public IReadOnlyList<string> Proxies { get; init; } = SequenceProxyInput.Applicable;
    /// <summary>Further training-free scores, higher predicting a lower loss (e.g. a Transformer's decoder parameters).</summary>
    public IReadOnlyDictionary<string, Func<TArch, double>> Counts { get; init; } = new Dictionary<string, Func<TArch, double>>();
    /// <summary>Windows in the proxies' batch.</summary>
    public int ProxyBatch { get; init; } = 64;
    public Device Device { get; init; } = TorchRuntime.DefaultDevice;

    public SequenceProxyRow Measure(TArch arch)
    {
        var scores = new Dictionary<string, double>();
        foreach (var (name, count) in Counts) scores[name] = count(arch);
        using (var scope = NewDisposeScope())
        {
            var input = SequenceProxyInput.Create(space, arch, corpus, ProxyBatch, Recipe.Context, seed, Device);
            foreach (var name in Proxies)
                using (NewDisposeScope())
                    scores[name] = Catalogs.Catalog<IZeroCostProxy>.Get(name).Score(input);
        }
        NativeHeap.ReleaseFreedMemory();
        using var model = space.Build(arch, corpus.VocabularySize, Recipe.Context, seed);
        var result = LanguageModelTraining.Train(model, corpus, Recipe, seed, Device);
        NativeHeap.ReleaseFreedMemory();
        return result.Failure is not null
            ? new SequenceProxyRow(arch.ToText(), double.NaN, double.NaN, result.TrainSeconds, scores)
            : new SequenceProxyRow(arch.ToText(), result.ValidLoss, result.TrainLoss, result.TrainSeconds, scores);
    }

    /// <summary>Each predictor's τ and ρ against −validation loss over the models that trained (a diverged one is left out).</summary>
    public static IReadOnlyList<PredictorCorrelation> Correlate(IReadOnlyList<SequenceProxyRow> rows)
    {
        var ok = rows.Where(r => double.IsFinite(r.ValidLoss)).ToArray();
        if (ok.Length < 3) throw new ArgumentException($"Rank correlations need at least 3 trained models; {ok.Length} trained without diverging.");
        var target = ok.Select(r => -r.ValidLoss).ToArray();
        return ok[0].Predictors.Keys.Select(p =>
        {
            var x = ok.Select(r => r.Predictors[p]).ToArray();
            return new PredictorCorrelation(p, RankCorrelation.KendallTauB(x, target), RankCorrelation.Spearman(x, target), ok.Length);
        }).ToArray();
    }
}
