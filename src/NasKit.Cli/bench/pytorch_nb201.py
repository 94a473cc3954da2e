"""PyTorch side of `naskit bench train-step`: the NB201 network (TinyNetwork + InferCell), written the way
NasKit builds it, timed for one SGD training step. Prints one JSON object per architecture on stdout.

Usage: python3 pytorch_nb201.py --threads T --batch B --channels C --cells N --warmup W --steps S (ARCH... | --serve)
"""
import argparse, json, statistics, sys, time
import peer_info
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


def parse(arch):
    groups = arch.split("+")
    ops = []
    for g in groups:
        for token in g.strip("|").split("|"):
            ops.append(token.split("~")[0])
    return ops


class ReLUConvBN(nn.Module):
    def __init__(self, cin, cout, k, stride, pad):
        super().__init__()
        self.op = nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(cin, cout, k, stride, pad, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.op(x)


class ResNetBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a = ReLUConvBN(cin, cout, 3, 2, 1)
        self.b = ReLUConvBN(cout, cout, 3, 1, 1)
        self.down = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.down(x) + self.b(self.a(x))


class Cell(nn.Module):
    def __init__(self, ops, c):
        super().__init__()
        self.ops = ops
        layers = []
        for op in ops:
            if op == "nor_conv_3x3":
                layers.append(ReLUConvBN(c, c, 3, 1, 1))
            elif op == "nor_conv_1x1":
                layers.append(ReLUConvBN(c, c, 1, 1, 0))
            elif op == "avg_pool_3x3":
                layers.append(nn.AvgPool2d(3, 1, 1, count_include_pad=False))
            else:
                layers.append(None)
        self.layers = nn.ModuleList([l for l in layers if l is not None])
        self.index = []
        k = 0
        for l in layers:
            self.index.append(k if l is not None else -1)
            k += l is not None

    def forward(self, x):
        nodes = [x, None, None, None]
        e = 0
        for j in range(1, 4):
            s = None
            for i in range(j):
                op = self.ops[e]
                if op != "none" and nodes[i] is not None:
                    y = nodes[i] if op == "skip_connect" else self.layers[self.index[e]](nodes[i])
                    s = y if s is None else s + y
                e += 1
            nodes[j] = s
        return nodes[3] if nodes[3] is not None else torch.zeros_like(x)


class Network(nn.Module):
    """NB201's TinyNetwork skeleton around any cell: make_cell(channels) builds one, and forward's extra arguments
    (a supernet's edge weights) go to every cell."""

    def __init__(self, make_cell, c, n, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        cells, prev = [], c
        for stage in range(3):
            cur = c << stage
            if stage > 0:
                cells.append(ResNetBlock(prev, cur))
                prev = cur
            cells += [make_cell(cur) for _ in range(n)]
        self.cells = nn.ModuleList(cells)
        self.bn = nn.BatchNorm2d(prev)
        self.fc = nn.Linear(prev, classes)

    def forward(self, x, *cell_args):
        h = self.stem(x)
        for c in self.cells:
            h = c(h) if isinstance(c, ResNetBlock) else c(h, *cell_args)
        h = F.relu(self.bn(h))
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def minor_faults():
    """This process's minor page faults so far (/proc/self/stat field 10, after the parenthesised name)."""
    with open("/proc/self/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[7])


def time_arch(arch, a):
    torch.manual_seed(0)
    ops = parse(arch)
    net = Network(lambda channels: Cell(ops, channels), a.channels, a.cells)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
    x = torch.randn(a.batch, 3, 32, 32)
    y = torch.randint(0, 10, (a.batch,))
    phases = {"forward": [], "backward": [], "optimizer": [], "total": []}
    faults0 = 0
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            faults0 = minor_faults()
        # The phases NasKit's side times too: zero_grad + forward + loss, backward, optimizer step.
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        if step >= a.warmup:
            for name, ms in (("forward", t1 - t0), ("backward", t2 - t1), ("optimizer", t3 - t2), ("total", t3 - t0)):
                phases[name].append(ms * 1000)
    row = {"arch": arch, "median_ms": statistics.median(phases["total"]), "params": sum(p.numel() for p in net.parameters()),
           "faults_per_step": (minor_faults() - faults0) / a.steps}
    row.update({f"{k}_ms": statistics.median(v) for k, v in phases.items() if k != "total"})
    row.update(peer_info.describe())
    print(json.dumps(row), flush=True)


def network_parser(steps):
    """The options every NB201 peer takes: threads, batch, the network's C and N, timed steps."""
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--channels", type=int, default=16)
    p.add_argument("--cells", type=int, default=5)
    p.add_argument("--steps", type=int, default=steps)
    return p


def main():
    p = network_parser(steps=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--serve", action="store_true", help="read one architecture per line on stdin, answer each at once")
    p.add_argument("archs", nargs="*")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    # Serving lets NasKit time each cell right before the peer does, so a slow spell of the machine hits both.
    for arch in (line.strip() for line in sys.stdin) if a.serve else a.archs:
        if arch:
            time_arch(arch, a)


if __name__ == "__main__":
    sys.exit(main())
