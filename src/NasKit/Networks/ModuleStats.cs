using TorchSharp;

namespace NasKit.Networks;

public static class ModuleStats
{
    /// <summary>Number of trainable parameters (buffers such as BN running statistics excluded).</summary>
    public static long ParameterCount(this torch.nn.Module module) =>
        module.parameters().Sum(p => p.numel());
}
