namespace NasKit.SearchSpaces.Darts;

/// <summary>
/// Genotypes from the papers, as their reference code lists them, with the parameter counts the papers report for
/// CIFAR-10 at C=36 and 20 cells (auxiliary head not counted).
/// </summary>
public static class PublishedGenotypes
{
    /// <summary>
    /// DARTS first order (Liu et al. 2019; quark0/darts genotypes.py DARTS_V1). The paper's table gives 3.3M for both
    /// orders, but this genotype at C=36, 20 cells counts 3.17M (NasKit; no reference log seen), so no count is claimed.
    /// </summary>
    public static DartsGenotype DartsV1 { get; } = DartsGenotype.Parse(
        "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])");

    /// <summary>DARTS second order (Liu et al. 2019; DARTS_V2), 3.3M parameters.</summary>
    public static DartsGenotype DartsV2 { get; } = DartsGenotype.Parse(
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])");

    /// <summary>PC-DARTS on CIFAR-10 (Xu et al. 2020; yuhuixu1993/PC-DARTS PC_DARTS_cifar), 3.6M parameters.</summary>
    public static DartsGenotype PcDarts { get; } = DartsGenotype.Parse(
        "Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 1)], normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1), ('max_pool_3x3', 0), ('sep_conv_5x5', 1), ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 1), ('sep_conv_3x3', 2)], reduce_concat=range(2, 6))");

    /// <summary>Name, genotype and the parameter count (millions) its paper reports for it, where one can be pinned.</summary>
    public static IReadOnlyList<(string Name, DartsGenotype Genotype, double? PublishedParamsM)> All { get; } =
    [
        ("DARTS_V1", DartsV1, null),
        ("DARTS_V2", DartsV2, 3.3),
        ("PC_DARTS", PcDarts, 3.6),
    ];
}
