# Independent numpy reference of NasKit's DecoderTransformer (nanoGPT-style pre-norm GPT) for pinned test values.
import numpy as np, math
V, CTX, W = 11, 8, 16
LAYERS = [(2, 2), (4, 1)]
TOKENS = [[1, 5, 2, 9, 0, 3], [4, 4, 10, 7, 6, 1]]

def fill(name, shape):
    n = int(np.prod(shape)); phase = (sum(ord(c) for c in name) % 97) * 0.1
    return (0.3 * np.sin(0.37 * np.arange(n) + phase)).reshape(shape)

def ln(x, w): m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True); return (x - m) / np.sqrt(v + 1e-5) * w
def gelu(x):
    from scipy.special import erf
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))
def slopes(n):
    def p2(n): return [2 ** (-8.0 * h / n) for h in range(1, n + 1)]
    if n & (n - 1) == 0: return p2(n)
    c = 2 ** int(math.floor(math.log2(n))); return p2(c) + p2(2 * c)[0::2][:n - c]

def forward(attention, window, position):
    P = {}
    def par(name, shape): P[name] = fill(name, shape); return P[name]
    x = np.array(TOKENS); B, T = x.shape
    h = par('wte.weight', (V, W))[x]
    if position == 'learned': h = h + par('wpe.weight', (CTX, W))[:T]
    if position == 'sinusoidal':
        pe = np.zeros((CTX, W))
        for t in range(CTX):
            for i in range(W // 2):
                a = t / 10000 ** (2 * i / W); pe[t, 2 * i] = math.sin(a); pe[t, 2 * i + 1] = math.cos(a)
        h = h + pe[:T]
    for l, (H, R) in enumerate(LAYERS):
        hs = W // H; kvh = 1 if attention == 'multiquery' else H
        a = ln(h, par(f'blocks.{l}.ln_1.weight', (W,)))
        wqkv = par(f'blocks.{l}.attn.c_attn.weight', (W + 2 * kvh * hs, W))
        qkv = a @ wqkv.T
        q = qkv[..., :W].reshape(B, T, H, hs).transpose(0, 2, 1, 3)
        k = qkv[..., W:W + kvh * hs].reshape(B, T, kvh, hs).transpose(0, 2, 1, 3)
        v = qkv[..., W + kvh * hs:].reshape(B, T, kvh, hs).transpose(0, 2, 1, 3)
        if position == 'rotary':
            half = hs // 2
            ang = np.array([[t * 10000 ** (-2.0 * i / hs) for i in range(half)] for t in range(T)])
            cos = np.concatenate([np.cos(ang)] * 2, -1); sin = np.concatenate([np.sin(ang)] * 2, -1)
            rot = lambda z: z * cos + np.concatenate([-z[..., half:], z[..., :half]], -1) * sin
            q, k = rot(q), rot(k)
        if kvh == 1: k = np.repeat(k, H, 1); v = np.repeat(v, H, 1)
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hs)
        i, j = np.meshgrid(np.arange(T), np.arange(T), indexing='ij')
        allowed = (j <= i) & ((window == 0) | (i - j < window))
        if position == 'alibi': s = s + (-np.array(slopes(H))[:, None, None] * (i - j))[None]
        s = np.where(allowed, s, -np.inf)
        s = np.exp(s - s.max(-1, keepdims=True)); s = s / s.sum(-1, keepdims=True)
        y = (s @ v).transpose(0, 2, 1, 3).reshape(B, T, W)
        h = h + y @ par(f'blocks.{l}.attn.c_proj.weight', (W, W)).T
        m = ln(h, par(f'blocks.{l}.ln_2.weight', (W,)))
        m = gelu(m @ par(f'blocks.{l}.c_fc.weight', (R * W, W)).T) @ par(f'blocks.{l}.mlp_proj.weight', (W, R * W)).T
        h = h + m
    h = ln(h, par('ln_f.weight', (W,)))
    return h @ P['wte.weight'].T, sorted(P)

for att, win, pos in [('full', 0, 'learned'), ('local', 3, 'alibi'), ('multiquery', 0, 'rotary'), ('full', 0, 'sinusoidal'), ('full', 0, 'none'), ('local', 2, 'rotary')]:
    z, names = forward(att, win, pos)
    print(att, win, pos, 'sum', repr(float(z.sum())), 'sq', repr(float((z ** 2).sum())), 'last', [round(float(v), 6) for v in z[1, -1, :4]])
print(names)
