"""The intent + slot transformer that earshot's nlp/ stage runs, in torch (training side).

Pre-LN encoder: piece embedding + learned position embedding, N blocks of
x += attn(LN(x)); x += FFN(LN(x)) with GELU (erf), a final LN, then an intent head over the
mean of the positions and a BIO slot head per piece. nlp/intent_model.cpp computes exactly this.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class ModelConfig:
    vocab: int
    n_intents: int
    n_tags: int
    d_model: int = 128
    heads: int = 4
    ffn: int = 256
    layers: int = 2
    max_len: int = 64
    dropout: float = 0.1
    ln_eps: float = 1e-5

    def to_dict(self) -> dict:
        return asdict(self)


class Block(nn.Module):
    def __init__(self, c: ModelConfig):
        super().__init__()
        self.heads = c.heads
        self.ln1 = nn.LayerNorm(c.d_model, eps=c.ln_eps)
        self.qkv = nn.Linear(c.d_model, 3 * c.d_model)
        self.out = nn.Linear(c.d_model, c.d_model)
        self.ln2 = nn.LayerNorm(c.d_model, eps=c.ln_eps)
        self.fc1 = nn.Linear(c.d_model, c.ffn)
        self.fc2 = nn.Linear(c.ffn, c.d_model)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q, k, v = (z.view(b, t, self.heads, hd).transpose(1, 2) for z in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        scores = scores.masked_fill(pad[:, None, None, :], float("-inf"))
        att = self.drop(torch.softmax(scores, dim=-1)) @ v
        x = x + self.drop(self.out(att.transpose(1, 2).reshape(b, t, d)))
        h = self.fc2(self.drop(nn.functional.gelu(self.fc1(self.ln2(x)))))
        return x + self.drop(h)


class IntentSlotModel(nn.Module):
    def __init__(self, c: ModelConfig):
        super().__init__()
        self.config = c
        self.tok = nn.Embedding(c.vocab, c.d_model)
        self.pos = nn.Embedding(c.max_len, c.d_model)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.ln_f = nn.LayerNorm(c.d_model, eps=c.ln_eps)
        self.intent = nn.Linear(c.d_model, c.n_intents)
        self.slot = nn.Linear(c.d_model, c.n_tags)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, ids: torch.Tensor, pad: torch.Tensor):
        """ids [b, t] (t <= max_len), pad [b, t] True on padding -> intent [b, I], slots [b, t, T]."""
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = self.drop(self.tok(ids) + self.pos(pos)[None])
        for block in self.blocks:
            x = block(x, pad)
        x = self.ln_f(x)
        keep = (~pad).unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.intent(pooled), self.slot(x)
