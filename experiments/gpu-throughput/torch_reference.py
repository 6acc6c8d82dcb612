"""The peer of forge's GPU pretraining: the same GPT-2 trained the same way in PyTorch.

Same model (gpt2_torch.Gpt2: 124M, padded embedding, tied head over the real vocabulary), same
initialisation rule, same data (random windows of the same token shard), same optimizer
(AdamW, betas 0.9/0.95, eps 1e-8, weight decay 0.1 on every matrix but the embeddings, global
norm clipped to 1.0) and the same schedule as forge's (linear warmup from peak/warmup, then
cosine to min_lr_ratio x peak). Throughput settings as a PyTorch user would pick them:
torch.compile, F.scaled_dot_product_attention (causal), fused AdamW, and bf16 autocast with
fp32 master weights (--precision bf16), or plain fp32 without TF32 (--precision fp32), which is
the computation forge's CUDA backend does today.

Prints one JSON object (and writes it to --out): median tokens/s over the timed steps, MFU,
peak memory and the loss of every step.

MFU = tokens/s x flops_per_token / peak, flops_per_token = 6 (12 L C^2 + V C) + 12 L C T
(forge's formula; gpt2_torch.flops_per_token), peak = 989e12, the dense bf16 tensor-core figure
of an H100 SXM, which an H200 shares. The same peak is used for fp32 runs, so their MFU says how
far they are from what bf16 would allow.
"""

import argparse
import json
import math
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

from gpt2_torch import Gpt2, flops_per_token, read_shard

PEAK_FLOPS = 989e12


def learning_rate(step, peak, warmup, total, min_ratio):
    """forge's schedule (framework/src/train/schedule.cpp), cosine decay."""
    if step < warmup:
        return peak * (step + 1) / warmup
    anchor, last = max(warmup - 1, 0), total - 1
    if step <= anchor or last <= anchor:
        return peak
    progress = min(1.0, (step - anchor) / (last - anchor))
    low = min_ratio * peak
    return low + (peak - low) * 0.5 * (1 + math.cos(math.pi * progress))


def windows(tokens, rows, seq, rng, device):
    starts = rng.integers(0, len(tokens) - seq - 1, size=rows)
    batch = np.stack([np.asarray(tokens[s: s + seq + 1], dtype=np.int64) for s in starts])
    batch = torch.from_numpy(batch)
    if device == "cuda":
        batch = batch.pin_memory().to(device, non_blocking=True)
    return batch[:, :-1], batch[:, 1:]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shard", required=True)
    p.add_argument("--micro-batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--skip", type=int, default=5, help="first steps left out of the timing")
    p.add_argument("--precision", choices=["bf16", "fp32"], default="bf16")
    p.add_argument("--no-compile", action="store_true")
    p.add_argument("--lr", type=float, default=6e-4)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--min-lr-ratio", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--device", default="cuda", help="cpu only to try the script (eager, tiny)")
    p.add_argument("--layers", type=int, default=12, help="fewer only to try the script")
    p.add_argument("--out")
    args = p.parse_args()

    device = args.device
    cuda = device == "cuda"
    torch.manual_seed(args.seed)
    # fp32 means fp32: no TF32 in products or convolutions, as forge's cuBLASLt calls.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")

    vocab = 50257
    model = Gpt2(vocab, n_layer=args.layers)
    model.init_weights(seed=args.seed)
    model.to(device)
    names = [n for n, _ in model.named_parameters()]
    params = dict(model.named_parameters())
    groups = [
        {"params": [params[n] for n in names if model.decayed(n)], "weight_decay": 0.1},
        {"params": [params[n] for n in names if not model.decayed(n)], "weight_decay": 0.0},
    ]
    fused = {"fused": True} if cuda else {}
    optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.95), eps=1e-8, **fused)
    forward = model if args.no_compile else torch.compile(model)

    def sync():
        if cuda:
            torch.cuda.synchronize()

    tokens = read_shard(args.shard)
    rng = np.random.default_rng(args.seed)
    autocast = torch.autocast(device, dtype=torch.bfloat16, enabled=args.precision == "bf16")
    B, T = args.micro_batch, args.seq
    losses, seconds = [], []
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    for step in range(args.steps):
        x, y = windows(tokens, B, T, rng, device)
        sync()
        start = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.lr, args.warmup, args.steps, args.min_lr_ratio)
        optimizer.zero_grad(set_to_none=True)
        with autocast:
            logits = forward(x)
        loss = F.cross_entropy(logits.float().reshape(-1, vocab), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())  # synchronises
        seconds.append(time.perf_counter() - start)

    timed = seconds[args.skip:] or seconds
    step_s = statistics.median(timed)
    tok_per_s = B * T / step_s
    fpt = flops_per_token(vocab, args.layers, 768, T)
    result = {
        "impl": "pytorch",
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if cuda else "none",
        "precision": args.precision,
        "compiled": not args.no_compile,
        "micro_batch": B,
        "seq_len": T,
        "steps": args.steps,
        "median_step_s": step_s,
        "tok_per_s": tok_per_s,
        "flops_per_token": fpt,
        "peak_flops": PEAK_FLOPS,
        "mfu": tok_per_s * fpt / PEAK_FLOPS,
        "first_step_s": seconds[0],
        "peak_allocated_gb": torch.cuda.max_memory_allocated() / 1e9 if cuda else 0.0,
        "peak_reserved_gb": torch.cuda.max_memory_reserved() / 1e9 if cuda else 0.0,
        "losses": losses,
    }
    text = json.dumps(result)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
