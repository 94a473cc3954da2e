namespace NasKit.Spaces;

/// <summary>A finite space that can list every architecture.</summary>
public interface IEnumerableSpace<TArch> where TArch : class, IArchitecture
{
    long Count { get; }
    IEnumerable<TArch> All();
}
