using NasKit.Runtime;
using TorchSharp;

namespace NasKit.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void TorchSharp_loads_and_runs()
    {
        TorchRuntime.EnsureLoaded();
        using var a = torch.ones(3, 3);
        Assert.Equal(9f, a.sum().item<float>());
    }

    [Fact]
    public void The_loaded_libtorch_is_the_packaged_one_never_a_system_copy()
    {
        TorchRuntime.EnsureLoaded();
        using var _ = torch.zeros(1);
        var maps = File.ReadAllLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()).Distinct().ToArray();
        var libtorch = maps.Where(p => Path.GetFileName(p) is "libtorch_cpu.so" or "libc10.so").ToArray();
        Assert.NotEmpty(libtorch);
        Assert.All(libtorch, p => Assert.DoesNotContain("/usr/lib", p));
    }

    [Fact]
    public void The_loaded_glue_library_has_no_hard_need_the_system_libstdcxx_cannot_meet()
    {
        TorchRuntime.EnsureLoaded();
        using var _ = torch.zeros(1);
        var maps = File.ReadAllLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()).Distinct().ToArray();
        var glue = maps.First(p => p.EndsWith("libLibTorchSharp.so"));
        var stdcxx = maps.First(p => Path.GetFileName(p).StartsWith("libstdc++.so"));
        var available = ElfVersionNeeds.DefinedVersions(stdcxx);
        var hard = ElfVersionNeeds.Needs(glue).Where(n => n.Library == "libstdc++.so.6" && !n.IsWeak && !available.Contains(n.Version));
        Assert.Empty(hard);
    }

    [Fact]
    public void Weakening_touches_only_missing_versions_and_is_idempotent()
    {
        var source = TorchRuntime.Candidates("libLibTorchSharp.so").First();
        var copy = Path.Combine(Path.GetTempPath(), $"naskit-elf-{Guid.NewGuid():N}.so");
        File.Copy(source, copy);
        try
        {
            var needs = ElfVersionNeeds.Needs(copy).Where(n => n.Library == "libstdc++.so.6").ToArray();
            Assert.NotEmpty(needs);
            // Pretend the system has every version but one: only that one may change.
            var target = needs.Last().Version;
            var available = needs.Select(n => n.Version).Where(v => v != target).ToHashSet();
            File.SetAttributes(copy, FileAttributes.Normal);
            var changed = ElfVersionNeeds.WeakenMissing(copy, "libstdc++.so.6", available);
            Assert.True(changed.Count <= 1);
            var after = ElfVersionNeeds.Needs(copy).Where(n => n.Library == "libstdc++.so.6").ToArray();
            Assert.All(after.Where(n => n.Version != target), n => Assert.Equal(needs.First(m => m.Version == n.Version).IsWeak, n.IsWeak));
            Assert.True(after.Single(n => n.Version == target).IsWeak);
            Assert.Empty(ElfVersionNeeds.WeakenMissing(copy, "libstdc++.so.6", available)); // nothing left to do
            // A system that has every version is left untouched.
            Assert.Empty(ElfVersionNeeds.WeakenMissing(copy, "libstdc++.so.6", needs.Select(n => n.Version).ToHashSet()));
        }
        finally { File.Delete(copy); }
    }
}

public class ConvolutionGradientTests
{
    [Theory]
    [InlineData("AuthenticAMD", "25", "fpu avx2 avx512f avx512bw", true)]   // Zen 4: the NaN was seen here
    [InlineData("AuthenticAMD", "26", "fpu avx2 avx512f avx512bw", false)]  // Zen 5: 0 NaN in 7,800 passes uncapped
    [InlineData("AuthenticAMD", "25", "fpu avx2", false)]                   // Zen 3: no AVX-512 to cap
    [InlineData("GenuineIntel", "6", "fpu avx2 avx512f", false)]            // Intel: no NaN seen, no cap assumed
    public void The_avx2_cap_applies_only_to_the_cpus_where_the_nan_was_seen(string vendor, string family, string flags, bool capped)
    {
        var cpuinfo = $"processor\t: 0\nvendor_id\t: {vendor}\ncpu family\t: {family}\nmodel\t\t: 17\nflags\t\t: {flags}\n\n" +
                      $"processor\t: 1\nvendor_id\t: {vendor}\ncpu family\t: {family}\n";
        Assert.Equal(capped, TorchRuntime.NeedsAvx2Cap(CpuInfo.Parse(cpuinfo)));
    }

    [Fact]
    public void Repeated_conv3x3_backward_passes_never_give_nan_gradients()
    {
        // Regression test for the oneDNN AVX-512 fault handled in TorchRuntime (NaN in about 1 of 10 passes).
        TorchRuntime.EnsureLoaded();
        using var conv = TorchSharp.torch.nn.Conv2d(8, 8, 3, padding: 1, bias: false);
        int nan = 0;
        for (int i = 0; i < 100; i++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var x = TorchSharp.torch.randn(16, 8, 32, 32).requires_grad_();
            conv.forward(x).sum().backward();
            if (x.grad!.isnan().any().item<bool>()) nan++;
            conv.zero_grad();
        }
        Assert.Equal(0, nan);
    }
}
