using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Strategies.MultiFidelity;

/// <summary>
/// The base of multi-fidelity schedulers' catalog entries: they need the rungs, and are refused without them with a
/// message that says so. A scheduler's entry writes its name, description and <see cref="Make{TArch}"/>.
/// </summary>
public abstract class SchedulerFactory : IStrategyFactory
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract int Order { get; }
    public bool SchedulesFidelities => true;

    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed) where TArch : class, IArchitecture =>
        throw NeedRungs();

    public ISearchStrategy<TArch> Create<TArch>(ISearchSpace<TArch> space, IReadOnlyList<Objective> objectives, int seed, FidelityRungs? rungs)
        where TArch : class, IArchitecture =>
        Make(space, IStrategyFactory.Target(objectives, Name), rungs ?? throw NeedRungs(), seed);

    protected abstract ISearchStrategy<TArch> Make<TArch>(ISearchSpace<TArch> space, Objective objective, FidelityRungs rungs, int seed) where TArch : class, IArchitecture;

    private ArgumentException NeedRungs() =>
        new($"Strategy '{Name}' schedules evaluations over several epoch budgets; give it the rungs (a benchmark with an epoch fidelity, or fidelities such as 1-81 or 12,200).");
}
