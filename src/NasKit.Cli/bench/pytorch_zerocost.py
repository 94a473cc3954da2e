"""PyTorch side of `naskit bench zerocost`: synflow and NASWOT on the NB201 network, written as the reference
implementations compute them (zero-cost-nas `synflow.py`: BN removed, float64, |weights|, all-ones input;
nas-without-training: ReLU-input codes, K = c c^T + (1-c)(1-c)^T, slogdet). Times network construction plus
scoring per architecture, as NasKit's timing does. Prints one JSON object per architecture.

Usage: python3 pytorch_zerocost.py --threads T --batch B ARCH...
"""
import argparse, json, sys, time
import numpy as np
import torch
import peer_info
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]


def parse(arch):
    return [t.split("~")[0] for g in arch.split("+") for t in g.strip("|").split("|")]


def relu_conv(cin, cout, k, stride, pad, bn):
    layers = [nn.ReLU(inplace=False), nn.Conv2d(cin, cout, k, stride, pad, bias=False)]
    if bn:
        layers.append(nn.BatchNorm2d(cout))
    return nn.Sequential(*layers)


class ResNetBlock(nn.Module):
    def __init__(self, cin, cout, bn):
        super().__init__()
        self.a = relu_conv(cin, cout, 3, 2, 1, bn)
        self.b = relu_conv(cout, cout, 3, 1, 1, bn)
        self.down = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.down(x) + self.b(self.a(x))


class Cell(nn.Module):
    EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]

    def __init__(self, ops, c, bn):
        super().__init__()
        self.ops = ops
        mods = {}
        for e, op in enumerate(ops):
            if op == "nor_conv_3x3":
                mods[str(e)] = relu_conv(c, c, 3, 1, 1, bn)
            elif op == "nor_conv_1x1":
                mods[str(e)] = relu_conv(c, c, 1, 1, 0, bn)
            elif op == "avg_pool_3x3":
                mods[str(e)] = nn.AvgPool2d(3, 1, 1, count_include_pad=False)
        self.edges = nn.ModuleDict(mods)

    def forward(self, x):
        nodes = [x, None, None, None]
        for j in range(1, 4):
            s = None
            for e, (i, t) in enumerate(self.EDGES):
                if t != j or self.ops[e] == "none" or nodes[i] is None:
                    continue
                y = nodes[i] if self.ops[e] == "skip_connect" else self.edges[str(e)](nodes[i])
                s = y if s is None else s + y
            nodes[j] = s
        return nodes[3] if nodes[3] is not None else torch.zeros_like(x)


class Network(nn.Module):
    def __init__(self, ops, c=16, n=5, classes=10, bn=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, padding=1, bias=False), *( [nn.BatchNorm2d(c)] if bn else []))
        cells, prev = [], c
        for stage in range(3):
            cur = c << stage
            if stage > 0:
                cells.append(ResNetBlock(prev, cur, bn))
                prev = cur
            cells += [Cell(ops, cur, bn) for _ in range(n)]
        self.cells = nn.ModuleList(cells)
        self.lastact = nn.Sequential(*([nn.BatchNorm2d(prev)] if bn else []), nn.ReLU())
        self.fc = nn.Linear(prev, classes)

    def forward(self, x):
        h = self.stem(x)
        for c in self.cells:
            h = c(h)
        return self.fc(F.adaptive_avg_pool2d(self.lastact(h), 1).flatten(1))


def synflow(ops, shape):
    net = Network(ops, bn=False).double()
    with torch.no_grad():
        for p in net.state_dict().values():
            p.abs_()
    net.zero_grad()
    net(torch.ones([1] + list(shape[1:]), dtype=torch.float64)).sum().backward()
    return sum(float((m.weight * m.weight.grad).abs().sum()) for m in net.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear)) and m.weight.grad is not None)


def naswot(ops, x):
    net = Network(ops)
    n = x.shape[0]
    k = torch.zeros(n, n)

    def hook(module, inp, out):
        c = (inp[0].view(n, -1) > 0).float()
        k.add_(c @ c.t()).add_((1 - c) @ (1 - c).t())

    for m in net.modules():
        if isinstance(m, nn.ReLU):
            m.register_forward_hook(hook)
    with torch.no_grad():
        net(x)
    return float(torch.slogdet(k.double())[1])


def timed(f):
    t0 = time.perf_counter()
    v = f()
    return v, time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("archs", nargs="+")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.randn(a.batch, 3, 32, 32)
    for arch in a.archs[:a.warmup]:
        synflow(parse(arch), x.shape)
        naswot(parse(arch), x)
    for arch in a.archs:
        ops = parse(arch)
        s, ts = timed(lambda: synflow(ops, x.shape))
        w, tw = timed(lambda: naswot(ops, x))
        print(json.dumps({"arch": arch, "synflow": s, "synflow_s": ts, "naswot": w, "naswot_s": tw,
                          **peer_info.describe()}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
