namespace NasKit.Networks;

/// <summary>
/// An optimizer whose every constant passed to libtorch is a Scalar it owns (see <see cref="ExplicitScalars"/> for why):
/// <see cref="ExplicitSgd"/>, <see cref="ExplicitAdam"/>, <see cref="ExplicitAdadelta"/>. Each reproduces the arithmetic
/// of the torch optimizer it is named after, operation for operation; a test steps every one beside torch's.
/// </summary>
public interface IExplicitOptimizer : IDisposable
{
    /// <summary>The rate of the next <see cref="Step"/>: schedules set it before each step.</summary>
    double LearningRate { get; set; }

    void ZeroGrad();

    void Step();
}
