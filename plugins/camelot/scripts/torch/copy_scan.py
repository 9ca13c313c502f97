"""
Diagnosis only (PyTorch 1.13): induction-head formation vs context length, alphabet, depth, smeared keys, on
scattered copies (layout=scatter, the camelot/copy-strings layout) or pairs. README "A base model that copies":
  /usr/bin/python3 plugins/camelot/scripts/torch/copy_scan.py T=64 D=64 B=2 mlp=0 lr=3e-3 alpha=all min=4 max=16 reach=48 steps=1700 bs=64 docs=1000
  /usr/bin/python3 plugins/camelot/scripts/torch/copy_scan.py T=128 D=64 B=2 mlp=0 smear=1 lr=3e-3 alpha=all min=4 max=16 steps=900 bs=32 docs=1000
"""
# Diagnosis: induction-head formation speed vs context length, alphabet, lr, depth (torch).
import math, random, sys, time, os, torch, torch.nn as nn, torch.nn.functional as F
args = dict(a.split('=') for a in sys.argv[1:])
T = int(args.get('T', 32)); D = int(args.get('D', 64)); H = int(args.get('H', 4)); B = int(args.get('B', 2))
lr = float(args.get('lr', 1e-3)); bs = int(args.get('bs', 32)); steps = int(args.get('steps', 2000))
mlp = args.get('mlp', '1') == '1'; lo_len = int(args.get('min', 4)); hi_len = int(args.get('max', 12)); alpha = args.get('alpha', 'lower')
torch.manual_seed(0); random.seed(5); torch.set_num_threads(1)
V = ' etaoinsrhldcumfpgwyb,.vk"T-\nIA\'SxHCMBW;1Pqj?0zFDNRGOLEJ2)(59:3UY!K4687V$Q/*&%ZX{}[]+'
idx = {c: i for i, c in enumerate(V)}
L = [c for c in V if c not in ' .\n'] if alpha == 'all' else 'abcdefghijklmnopqrstuvwxyz'
reach = int(args.get('reach', 96)); share = float(args.get('share', 0.5))
def doc(n=3000):
    d = ''
    while len(d) < n:
        k = lo_len + random.randrange(hi_len - lo_len + 1)
        if args.get('layout', 'scatter') == 'pairs': s = ''.join(random.choice(L) for _ in range(k)); d += s + ' ' + s + '. '; continue
        if len(d) >= reach and random.random() < share:
            f = len(d) - reach + random.randrange(reach - k + 1); d += d[f:f + k]
        else: d += ''.join(random.choice(L) for _ in range(k))
    return d
train = [torch.tensor([idx[c] for c in doc()]) for _ in range(int(args.get('docs', 90)))]
W = T + 1
half = (D // H) // 2
inv = 1.0 / (10000 ** (torch.arange(half) * 2 / (D // H)))
ang = torch.arange(T)[:, None] * inv[None]
cos, sin = torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)
def rope(x):
    h = x.shape[-1] // 2; r = torch.cat([-x[..., h:], x[..., :h]], -1); return x * cos + r * sin
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1 = nn.LayerNorm(D); s.qkv = nn.Linear(D, 3 * D, bias=False); s.proj = nn.Linear(D, D, bias=False)
        s.smear = nn.Parameter(torch.zeros(H, 1, 1)) if args.get('smear') == '1' else None
        if mlp: s.ln2 = nn.LayerNorm(D); s.fc = nn.Linear(D, 4 * D); s.out = nn.Linear(4 * D, D)
    def forward(s, x):
        b, t, _ = x.shape
        q, k, v = [z.view(b, t, H, D // H).transpose(1, 2) for z in s.qkv(s.ln1(x)).split(D, -1)]
        if s.smear is not None:
            a = torch.sigmoid(s.smear); k = a * k + (1 - a) * F.pad(k, (0, 0, 1, 0))[:, :, :-1]
        q, k = rope(q), rope(k)
        sc = (q @ k.transpose(-1, -2) / math.sqrt(D // H)).masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), -1e9)
        x = x + s.proj((sc.softmax(-1) @ v).transpose(1, 2).reshape(b, t, D))
        if mlp: h = s.fc(s.ln2(x)); x = x + s.out(h * torch.sigmoid(1.702 * h))
        return x
class G(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(len(V), D); s.blocks = nn.ModuleList([Block() for _ in range(B)]); s.lnf = nn.LayerNorm(D)
        for n, p in s.named_parameters():
            if p.dim() == 2 and 'smear' not in n: nn.init.normal_(p, 0, 0.02)
    def forward(s, ids):
        x = s.emb(ids)
        for b in s.blocks: x = b(x)
        return s.lnf(x) @ s.emb.weight.T
m = G(); opt = torch.optim.Adam(m.parameters(), lr=lr)
t0 = time.time()
for step in range(steps + 1):
    w = torch.stack([d[a:a + W] for d in (random.choice(train) for _ in range(bs)) for a in [random.randrange(len(d) - W)]])
    loss = F.cross_entropy(m(w[:, :-1]).reshape(-1, len(V)), w[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()
    if step % 100 == 0: print(step, round(loss.item(), 3), round(time.time() - t0, 1), flush=True)
