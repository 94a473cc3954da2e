"""PyTorch side of `naskit bench transformer`: nanoGPT's GPT (model.py with bias=False: pre-norm blocks, GELU MLP,
output layer tied to the token embedding) at the shakespeare_char CPU baseline size, timed for one AdamW training
step with gradient clipping, as nanoGPT's train.py does it. On a torch without scaled_dot_product_attention (before
2.0, such as Debian 12's 1.13) the attention is nanoGPT's own fallback: masked softmax(q·kᵀ/√d)·v.

Usage: python3 pytorch_gpt.py --threads T --batch B --context C --width W --layers L --heads H --steps S --serve
Each line read on stdin (any text) times one round and answers one JSON object.
"""
import argparse, json, math, statistics, sys, time
import peer_info
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 65  # Tiny Shakespeare's characters


class Attention(nn.Module):
    def __init__(self, width, heads, context):
        super().__init__()
        self.c_attn = nn.Linear(width, 3 * width, bias=False)
        self.c_proj = nn.Linear(width, width, bias=False)
        self.heads = heads
        self.flash = hasattr(F, "scaled_dot_product_attention")
        self.register_buffer("mask", torch.tril(torch.ones(context, context)).view(1, 1, context, context))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        if self.flash:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = F.softmax(att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf")), dim=-1)
            y = att @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self, width, heads, context):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width, elementwise_affine=True)
        self.attn = Attention(width, heads, context)
        self.ln_2 = nn.LayerNorm(width, elementwise_affine=True)
        self.c_fc = nn.Linear(width, 4 * width, bias=False)
        self.mlp_proj = nn.Linear(4 * width, width, bias=False)
        for ln in (self.ln_1, self.ln_2):  # bias-free layer norm, as nanoGPT's LayerNorm(bias=False)
            ln.bias = None

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self, width, heads, layers, context):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, width)
        self.wpe = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads, context) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)
        self.ln_f.bias = None

    def forward(self, idx):
        pos = torch.arange(idx.shape[1])
        x = self.wte(idx) + self.wpe(pos)
        for blk in self.blocks:
            x = blk(x)
        return F.linear(self.ln_f(x), self.wte.weight)


def minor_faults():
    with open("/proc/self/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[7])


def time_round(a):
    torch.manual_seed(0)
    net = GPT(a.width, a.heads, a.layers, a.context)
    decay = [p for p in net.parameters() if p.dim() >= 2]
    other = [p for p in net.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.99))
    x = torch.randint(0, VOCAB, (a.batch, a.context))
    y = torch.randint(0, VOCAB, (a.batch, a.context))
    phases = {"forward": [], "backward": [], "optimizer": [], "total": []}
    faults0 = 0
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            faults0 = minor_faults()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = net(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        t3 = time.perf_counter()
        if step >= a.warmup:
            for name, s in (("forward", t1 - t0), ("backward", t2 - t1), ("optimizer", t3 - t2), ("total", t3 - t0)):
                phases[name].append(s * 1000)
    row = {"median_ms": statistics.median(phases["total"]), "params": sum(p.numel() for p in net.parameters()),
           "faults_per_step": (minor_faults() - faults0) / a.steps, "attention": "scaled_dot_product_attention" if hasattr(F, "scaled_dot_product_attention") else "masked softmax (nanoGPT's fallback)"}
    row.update({f"{k}_ms": statistics.median(v) for k, v in phases.items() if k != "total"})
    row.update(peer_info.describe())
    print(json.dumps(row), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=12)
    p.add_argument("--context", type=int, default=64)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for line in sys.stdin if a.serve else ["once"]:
        if line.strip():
            time_round(a)


if __name__ == "__main__":
    sys.exit(main())
