"""GPT-2 in PyTorch with forge's parameter names and layouts, and the shard reader both scripts use.

The module tree spells the Hugging Face names that forge's `gpt2` plugin uses
(`transformer.h.0.attn.c_attn.weight`, ...), so a forge checkpoint's /model datasets load by name.
Linear weights are stored [in, out] (GPT-2's Conv1D layout), the token embedding has the padded
vocabulary's rows and the output head is the embedding's first `vocab` rows, as in forge.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class InOutLinear(nn.Module):
    """y = x @ weight + bias with weight [in, out]."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).reshape(
            *x.shape[:-1], self.weight.shape[1])


def causal_attention(q, k, v):
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    # PyTorch before 2.0 (only for trying the scripts on an old CPU install).
    T = q.shape[-2]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    mask = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
    return scores.masked_fill(~mask, float("-inf")).softmax(-1) @ v


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = InOutLinear(width, 3 * width)
        self.c_proj = InOutLinear(width, width)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        y = causal_attention(q, k, v).transpose(1, 2).reshape(B, T, C)
        return self.c_proj(y)


class Mlp(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.c_fc = InOutLinear(width, 4 * width)
        self.c_proj = InOutLinear(4 * width, width)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, width, heads, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width, eps=eps)
        self.attn = Attention(width, heads)
        self.ln_2 = nn.LayerNorm(width, eps=eps)
        self.mlp = Mlp(width)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt2(nn.Module):
    def __init__(self, vocab, n_layer=12, n_head=12, d_model=768, context=1024,
                 vocab_multiple=64, eps=1e-5, padded_vocab=None):
        super().__init__()
        self.vocab = vocab
        padded = padded_vocab or (vocab + vocab_multiple - 1) // vocab_multiple * vocab_multiple
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(padded, d_model),
            wpe=nn.Embedding(context, d_model),
            h=nn.ModuleList(Block(d_model, n_head, eps) for _ in range(n_layer)),
            ln_f=nn.LayerNorm(d_model, eps=eps),
        ))
        self.n_layer, self.d_model = n_layer, d_model

    def init_weights(self, std=0.02, seed=0):
        """forge's gpt2 initialisation: normal(0, std) matrices and embeddings, residual
        projections std / sqrt(2 n_layer), LayerNorm weights 1, every bias 0."""
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("bias"):
                    p.zero_()
                elif ".ln_" in name or name.startswith("transformer.ln_f"):
                    p.fill_(1.0)
                else:
                    s = std / math.sqrt(2 * self.n_layer) if name.endswith("c_proj.weight") else std
                    p.copy_(torch.randn(p.shape, generator=g) * s)

    def forward(self, ids):
        T = ids.shape[1]
        wte = self.transformer.wte.weight
        x = self.transformer.wte(ids) + self.transformer.wpe(torch.arange(T, device=ids.device))
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        return x @ wte[: self.vocab].t()

    def decayed(self, name):
        """forge's rule: AdamW decays every matrix but the embeddings."""
        p = dict(self.named_parameters())[name]
        return p.dim() >= 2 and not name.startswith(("transformer.wte", "transformer.wpe"))


def flops_per_token(vocab, n_layer, d_model, seq_len):
    """Training FLOPs per token, forge's formula (Gpt2Model::flops_per_token, PaLM's accounting):
    6 per weight of every matrix product (12 L C^2 in the blocks plus the tied V x C head) and
    12 L C T for attention's scores and weighted sums."""
    return 6 * (12 * n_layer * d_model**2 + vocab * d_model) + 12 * n_layer * d_model * seq_len


def read_shard(path):
    """A forge token shard (docs/token-shards.md): ids as a read-only uint16/uint32 array."""
    header = np.fromfile(path, dtype=np.uint8, count=64)
    assert header[:8].tobytes() == b"FRGTOKS\0", f"{path} is not a forge token shard"
    version, width = header[8:16].view("<u4")
    count = int(header[16:24].view("<u8")[0])
    assert version == 1, f"{path}: format version {version}"
    dtype = "<u2" if width == 2 else "<u4"
    return np.memmap(path, dtype=dtype, mode="r", offset=64, shape=(count,))
