"""PyTorch side of `naskit bench supernet`: the NB201 supernet (every edge a softmax-weighted mix of its five ops,
DARTS; or PC-DARTS with 1/K of the channels through the ops and a channel shuffle), written the way NasKit builds
it, timed for one training step and measured for the step's peak resident memory above the idle process.
Prints one JSON object per configuration.

Usage: python3 pytorch_supernet.py --threads T --batch B --channels C --cells N --steps S --partial-channels K
"""
import ctypes, gc, json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
import peer_info
from pytorch_nb201 import Network, network_parser

EDGES = 6
OPS = 5  # none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3


def relu_conv_bn(c, k, pad, affine):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, k, 1, pad, bias=False), nn.BatchNorm2d(c, affine=affine))


def shuffle(x, groups):
    b, c, h, w = x.shape
    return x.view(b, groups, c // groups, h, w).transpose(1, 2).contiguous().view(b, c, h, w)


class MixedEdge(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.k = k
        c //= k
        self.conv1x1 = relu_conv_bn(c, 1, 0, False)
        self.conv3x3 = relu_conv_bn(c, 3, 1, False)
        self.pool = nn.AvgPool2d(3, 1, 1, count_include_pad=False)

    def mix(self, h, w):
        return h * w[1] + self.conv1x1(h) * w[2] + self.conv3x3(h) * w[3] + self.pool(h) * w[4]

    def forward(self, x, w):
        if self.k == 1:
            return self.mix(x, w)
        part = x.shape[1] // self.k
        return shuffle(torch.cat([self.mix(x[:, :part], w), x[:, part:]], 1), self.k)


class SearchCell(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.edges = nn.ModuleList([MixedEdge(c, k) for _ in range(EDGES)])

    def forward(self, x, weights):
        nodes, e = [x], 0
        for j in range(1, 4):
            s = None
            for i in range(j):
                y = self.edges[e](nodes[i], weights[e])
                s = y if s is None else s + y
                e += 1
            nodes.append(s)
        return nodes[3]


def status_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{key} not in /proc/self/status")


def settle():
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # as NasKit's bench does before it reads the idle process


def main():
    p = network_parser(steps=5)
    p.add_argument("--partial-channels", type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(a.batch, 3, 32, 32, generator=g)
    y = torch.randint(0, 10, (a.batch,), generator=g)
    for name, k in (("nb201 DARTS", 1), (f"nb201 PC-DARTS K={a.partial_channels}", a.partial_channels)):
        torch.manual_seed(0)
        net = Network(lambda channels: SearchCell(channels, k), a.channels, a.cells).train()
        alphas = torch.zeros(EDGES, OPS, requires_grad=True)

        def step():
            F.cross_entropy(net(x, F.softmax(alphas, -1)), y).backward()

        step()  # warm-up: allocator caches and oneDNN primitives
        settle()
        before = status_mb("VmRSS:")
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak resident set (VmHWM)
        step()
        peak = status_mb("VmHWM:") - before
        times = []
        for _ in range(a.steps):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        row = {"name": name, "step_ms": statistics.median(times), "step_mb": peak,
               "params": sum(q.numel() for q in net.parameters())}
        row.update(peer_info.describe())
        print(json.dumps(row), flush=True)
        del net, alphas
        settle()


if __name__ == "__main__":
    sys.exit(main())
