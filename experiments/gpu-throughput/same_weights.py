"""The loss of a forge checkpoint's weights in PyTorch, to set beside forge's loss on the same
batch (forge_checkpoint_loss): the same numbers from the same weights say both programs compute
the same model.

    python3 same_weights.py CHECKPOINT BATCH_FILE ROWS [--device cuda|cpu] [--vocab 50257]

Reads /model/<param> with h5py as docs/checkpoint-format.md describes (Fletcher32 checked by
HDF5, forge_crc32 checked here, bf16 arrays widened to float32), loads them by name into
gpt2_torch.Gpt2 and prints one JSON object with the mean next-token loss in fp32 (no TF32) and
under bf16 autocast.
"""

import argparse
import json
import re
import zlib

import h5py
import numpy as np
import torch
import torch.nn.functional as F

from gpt2_torch import Gpt2


def read_model(path):
    params, recipe = {}, ""
    with h5py.File(path, "r") as f:
        recipe = str(f["/meta"].attrs.get("recipe", ""))
        for name, ds in f["/model"].items():
            stored = np.asarray(ds[()])
            little = stored.astype(stored.dtype.newbyteorder("<"))
            if zlib.crc32(little.tobytes()) != int(ds.attrs["forge_crc32"]):
                raise ValueError(f"{path}: /model/{name} is damaged (checksum mismatch)")
            if ds.attrs.get("forge_dtype") == "bfloat16":
                stored = (stored.astype(np.uint32) << 16).view(np.float32)
            params[name] = torch.from_numpy(np.ascontiguousarray(stored, dtype=np.float32))
    return params, recipe


def main():
    p = argparse.ArgumentParser()
    p.add_argument("checkpoint")
    p.add_argument("batch")
    p.add_argument("rows", type=int)
    p.add_argument("--device", default="cuda")
    p.add_argument("--vocab", type=int, default=50257)
    args = p.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False

    params, recipe = read_model(args.checkpoint)
    layers = 1 + max(int(m.group(1)) for n in params if (m := re.match(r"transformer\.h\.(\d+)\.", n)))
    heads = re.search(r"n_head:\s*(\d+)", recipe)
    wte, wpe = params["transformer.wte.weight"], params["transformer.wpe.weight"]
    model = Gpt2(args.vocab, n_layer=layers, n_head=int(heads.group(1)) if heads else 12,
                 d_model=wte.shape[1], context=wpe.shape[0],
                 padded_vocab=wte.shape[0])
    model.load_state_dict(params, strict=True)
    model.to(args.device).eval()

    windows = np.fromfile(args.batch, dtype="<i4").astype(np.int64).reshape(args.rows, -1)
    batch = torch.from_numpy(windows).to(args.device)
    x, y = batch[:, :-1], batch[:, 1:]
    result = {"impl": "pytorch", "checkpoint": args.checkpoint, "rows": args.rows,
              "seq_len": x.shape[1], "device": args.device}
    with torch.no_grad():
        for precision in ("fp32", "bf16"):
            if precision == "bf16" and args.device == "cpu":
                continue  # bf16 autocast is a GPU setting here
            with torch.autocast(args.device, dtype=torch.bfloat16, enabled=precision == "bf16"):
                logits = model(x)
            loss = F.cross_entropy(logits.float().reshape(-1, args.vocab), y.reshape(-1))
            result[f"{precision}_loss"] = loss.item()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
