"""What the PyTorch peer of a `naskit bench` runs on: torch version, threads and the BLAS library it loaded.

Debian's python3-torch links libblas.so.3, which the alternatives system points at the reference (netlib) BLAS
unless an optimised one (OpenBLAS) is installed; a peer on the reference BLAS is about 3x slower than any PyTorch
user's, so the benches refuse it unless told otherwise.
"""
import os
import torch


def blas():
    """The BLAS library mapped into this process: 'OpenBLAS 0.3.21 (pthread)', 'reference BLAS (netlib)', ..."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and ("blas" in parts[-1] or "mkl" in parts[-1] or "blis" in parts[-1]):
                paths.add(os.path.realpath(parts[-1]))
    for p in sorted(paths):
        name = os.path.basename(p)
        if name.startswith("libopenblas"):
            variant = os.path.basename(os.path.dirname(p)).replace("openblas-", "") or "serial"
            version = name.split("-r")[-1].split(".so")[0] if "-r" in name else "?"
            return f"OpenBLAS {version} ({variant})"
        if "mkl" in name:
            return "MKL"
        if "blis" in name:
            return "BLIS"
    if any(os.path.basename(os.path.dirname(p)) == "blas" for p in paths):
        return "reference BLAS (netlib)"
    return "none loaded" if not paths else ", ".join(sorted(paths))


def describe():
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas(),
            "dnnl_max_cpu_isa": os.environ.get("DNNL_MAX_CPU_ISA", "(default)")}
