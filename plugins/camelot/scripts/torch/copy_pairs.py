"""
Diagnosis only (PyTorch 1.13, not needed to build, run or test engram): the camelot GPT architecture (2 blocks,
width 64) on the copy-warmup task of 26-letter strings each followed by its copy. README "A base model that copies".
  /usr/bin/python3 plugins/camelot/scripts/torch/copy_pairs.py 64 1e-3 rotary 3000   # width, lr, positions, steps
"""
# Diagnosis only: does the same architecture learn the synthetic copy task in torch?
import math, random, sys, time, torch, torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0); random.seed(5)
V = ' etaoinsrhldcumfpgwyb,.vk"T-\nIA\'SxHCMBW;1Pqj?0zFDNRGOLEJ2)(59:3UY!K4687V$Q/*&%ZX{}[]+'
idx = {c: i for i, c in enumerate(V)}
L = 'abcdefghijklmnopqrstuvwxyz'
docs = []
for _ in range(100):
    d = ''
    while len(d) < 3000:
        n = 8 + random.randrange(40); s = ''.join(random.choice(L) for _ in range(n)); d += s + ' ' + s + '. '
    docs.append(torch.tensor([idx[c] for c in d]))
train = [d for i, d in enumerate(docs) if i % 10 != 0]
T = 128; W = T + 1
D, H, B, HID = int(sys.argv[1]) if len(sys.argv) > 1 else 64, 4, 2, 256
lr = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-3
pos = sys.argv[3] if len(sys.argv) > 3 else 'rotary'
bs = 32
def rot_tables(T, d):
    half = d // 2
    inv = 1.0 / (10000 ** (torch.arange(half) * 2 / d))
    ang = torch.arange(T)[:, None] * inv[None]
    return torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)
cos, sin = rot_tables(T, D // H)
def rope(x):
    d = x.shape[-1]; h = d // 2; t = x.shape[-2]
    r = torch.cat([-x[..., h:], x[..., :h]], -1)
    return x * cos[:t] + r * sin[:t]
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1 = nn.LayerNorm(D); s.qkv = nn.Linear(D, 3 * D, bias=False); s.proj = nn.Linear(D, D, bias=False)
        s.ln2 = nn.LayerNorm(D); s.fc = nn.Linear(D, HID); s.out = nn.Linear(HID, D)
    def forward(s, x):
        b, t, _ = x.shape
        q, k, v = s.qkv(s.ln1(x)).split(D, -1)
        q, k, v = [z.view(b, t, H, D // H).transpose(1, 2) for z in (q, k, v)]
        if pos == 'rotary': q, k = rope(q), rope(k)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, 'scaled_dot_product_attention') else None
        if a is None:
            sc = q @ k.transpose(-1, -2) / math.sqrt(D // H)
            sc = sc.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), -1e9)
            a = sc.softmax(-1) @ v
        x = x + s.proj(a.transpose(1, 2).reshape(b, t, D))
        h = s.ln2(x); h = s.fc(h); h = h * torch.sigmoid(1.702 * h)
        return x + s.out(h)
class G(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(len(V), D); s.blocks = nn.ModuleList([Block() for _ in range(B)]); s.lnf = nn.LayerNorm(D)
        s.pos = nn.Parameter(torch.randn(T, D) * 0.01) if pos == 'learned' else None
        for n, p in s.named_parameters():
            if p.dim() == 2 and 'pos' not in n: nn.init.normal_(p, 0, 0.02 / (math.sqrt(2 * B) if ('proj' in n or 'out' in n) else 1))
    def forward(s, ids):
        x = s.emb(ids)
        if s.pos is not None: x = x + s.pos[: ids.shape[1]]
        for b in s.blocks: x = b(x)
        return s.lnf(x) @ s.emb.weight.T
m = G(); opt = torch.optim.Adam(m.parameters(), lr=lr)
torch.set_num_threads(1)
def batch():
    rows = []
    for _ in range(bs):
        d = random.choice(train); a = random.randrange(len(d) - W); rows.append(d[a:a + W])
    return torch.stack(rows)
t0 = time.time()
for step in range(int(sys.argv[4]) if len(sys.argv) > 4 else 3000):
    w = batch(); lo = m(w[:, :-1]); loss = F.cross_entropy(lo.reshape(-1, len(V)), w[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()
    if step % 100 == 0: print(step, round(loss.item(), 3), round(time.time() - t0, 1), flush=True)
