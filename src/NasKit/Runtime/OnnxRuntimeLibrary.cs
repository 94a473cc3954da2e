using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace NasKit.Runtime;

/// <summary>
/// Finds ONNX Runtime's native library where hosts that load NasKit by path (notebook kernels) do not look: beside
/// NasKit's assembly under <c>runtimes/&lt;rid&gt;/native</c>. Applications with their own deps.json resolve it
/// themselves; the resolver only answers when that copy exists.
/// </summary>
public static class OnnxRuntimeLibrary
{
    private static readonly Lock Gate = new();
    private static bool _prepared;

    public static void Prepare()
    {
        lock (Gate)
        {
            if (_prepared) return;
            _prepared = true;
            string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64") ? "linux-arm64" : "linux-x64";
            var here = Path.GetDirectoryName(typeof(OnnxRuntimeLibrary).Assembly.Location);
            if (string.IsNullOrEmpty(here)) return;
            var path = new[] { Path.Combine(here, "libonnxruntime.so"), Path.Combine(here, "runtimes", rid, "native", "libonnxruntime.so") }.FirstOrDefault(File.Exists);
            if (path is null) return;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, (name, _, _) =>
                    name is "onnxruntime" or "libonnxruntime" or "libonnxruntime.so" ? NativeLibrary.Load(path) : IntPtr.Zero);
            }
            catch (InvalidOperationException) { } // ONNX Runtime or the host set a resolver already; it finds the library itself
        }
    }
}
