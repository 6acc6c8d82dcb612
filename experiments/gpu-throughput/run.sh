#!/usr/bin/env bash
# GPT-2 124M training throughput on one GPU, forge beside PyTorch, in one call, plus a check that
# both compute the same model from the same weights. Builds nothing: it runs a device bundle.
#   mkdir -p .device/forge && tar -xzf .device/bundle.tar.gz -C .device/forge && . .device/forge/env.sh &&
#     experiments/gpu-throughput/run.sh [STEPS]
# Outside a bundle, FORGE_BIN names the folder holding forge and forge_checkpoint_loss (default
# build/bin) and FORGE_TOKENIZER_REFS the folder holding r50k_base.tiktoken. MICRO_BATCHES lists
# the micro-batches forge tries, largest first (default "64 32 16"); PYTHON the interpreter with
# torch, h5py and numpy; FORGE_BUILD_DIR the folder the bundle was built from (by default build in this checkout).
# Results go to $OUT/gpu-throughput (the device tool's folder) or build/gpu-throughput/.
# About 5 minutes on an H100/H200 with the defaults (20 steps), the CUDA unit tests included.
# SMOKE=1 runs the same script on the CPU with a 1-layer model and T 64, to try it anywhere.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
steps=${1:-20}
work=${WORK:-$here/../../build/gpu-throughput}
results=${OUT:-$work}/gpu-throughput
bin=${FORGE_BIN:-${FORGE_BUNDLE:+$FORGE_BUNDLE/build/bin}}
bin=${bin:-$here/../../build/bin}
export FORGE_TOKENIZER_REFS=${FORGE_TOKENIZER_REFS:-${FORGE_BUNDLE:+$FORGE_BUNDLE/extra/tokenizer-refs}}
python=${PYTHON:-python3}
micro_batches=${MICRO_BATCHES:-64 32 16}
device=cuda seq=1024 forge_extra=() torch_extra=() check_devices="cuda cpu"
if [[ ${SMOKE:-0} == 1 ]]; then
  device=cpu seq=64 micro_batches=${MICRO_BATCHES:-2} steps=${1:-3} check_devices=cpu
  forge_extra=(device=cpu model.n_layer=1 train.seq_len=64)
  torch_extra=(--device cpu --no-compile --layers 1 --seq 64 --skip 1)
fi
warmup=$((steps < 10 ? steps : 10))  # the recipe's 10 warmup steps, fewer in a shorter run
rm -rf "$work/data" "$work"/forge-* && mkdir -p "$work" "$results"
log() { echo "[$(date -u +%T)] $*"; }
die() { echo "run.sh: $*" >&2; exit 1; }
[[ -x $bin/forge && -x $bin/forge_checkpoint_loss ]] || die "no forge or forge_checkpoint_loss in $bin"
[[ -f $FORGE_TOKENIZER_REFS/r50k_base.tiktoken ]] ||
  die "no r50k_base.tiktoken in FORGE_TOKENIZER_REFS='$FORGE_TOKENIZER_REFS'"
[[ $device == cpu ]] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader |
  tee "$results/gpu.txt"

# Peak memory the GPU shows as used while a command runs (MiB), the same measure for both sides.
watch_memory() {  # FILE: starts a poller; stop_memory ends it and prints the peak
  : >"$1"
  [[ $device == cpu ]] && { poller=""; return; }
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$1" 2>/dev/null &
  poller=$!
}
stop_memory() {
  [[ -n $poller ]] && { kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null; }
  sort -n "$1" | tail -n1
}

# The CUDA unit tests first (when the bundle has them): their failures explain a failed run.
# forge_tests finds plugins beside the build folder it was compiled in (FORGE_BUILD_DIR, the
# folder device-bundle.sh packed); from a bundle that path is made a link to the bundle's copy.
build_dir=${FORGE_BUILD_DIR:-$PWD/build}
if [[ -n ${FORGE_BUNDLE:-} && ! -e $build_dir ]]; then
  mkdir -p "$(dirname "$build_dir")" && ln -s "$FORGE_BUNDLE/build" "$build_dir"
fi
if [[ $device == cuda && -x $bin/forge_tests ]]; then
  log "CUDA unit tests"
  timeout 180 "$bin/forge_tests" --gtest_brief=1 \
    --gtest_filter='CudaDevice.*:CudaTensors.*:*CudaModels.*:*OpConsistencyCuda.*:Nccl.*' \
    >"$results/cuda-tests.log" 2>&1
  echo "forge_tests (CUDA): rc $?, $(grep -c '^\[  FAILED  \]' "$results/cuda-tests.log") failed lines" |
    tee "$results/cuda-tests.rc"
  tail -n 4 "$results/cuda-tests.log"
fi

log "data"
"$python" "$here/make_data.py" "$work/data" --tokens 8000000 --rows 4 --seq "$seq" || die "make_data failed"
shard=$work/data/train/shard-000000.bin

# forge: the largest micro-batch that fits.
chosen=""
for mb in $micro_batches; do
  run=$work/forge-$mb
  log "forge, micro-batch $mb, $steps steps"
  watch_memory "$work/forge-$mb.mem"
  timeout 240 "$bin/forge" run "$here/gpt2-124m.yaml" --run-dir "$run" \
    "data.train.paths=[$work/data/train]" "train.micro_batch=$mb" "train.steps=$steps" \
    "schedule.warmup_steps=$warmup" "${forge_extra[@]}" \
    >"$work/forge-$mb.log" 2>&1
  rc=$?
  peak=$(stop_memory "$work/forge-$mb.mem")
  cp "$work/forge-$mb.log" "$results/"
  if ((rc == 0)); then
    chosen=$mb forge_peak=$peak
    cp "$run/metrics.jsonl" "$results/forge-metrics.jsonl"
    break
  fi
  if ((rc == 124)) && [[ -s $run/metrics.jsonl ]]; then
    chosen=$mb forge_peak=$peak
    cp "$run/metrics.jsonl" "$results/forge-metrics.jsonl"
    log "forge: timed out after $(wc -l <"$run/metrics.jsonl") steps; those steps are the result"
    break
  fi
  if grep -qiE "out of GPU memory|out of memory|ALLOC_FAILED" "$work/forge-$mb.log"; then
    log "forge: micro-batch $mb does not fit"
    continue
  fi
  # Any other failure is the result to report; PyTorch still runs, at this micro-batch.
  tail -n 20 "$work/forge-$mb.log"
  log "forge failed (rc $rc) at micro-batch $mb; see $results/forge-$mb.log"
  chosen=$mb forge_peak=$peak
  break
done
if [[ -z $chosen ]]; then
  chosen=${micro_batches##* } forge_peak=""
  log "forge fit none of the micro-batches $micro_batches; PyTorch runs at $chosen"
fi
checkpoint=$(ls "$work/forge-$chosen"/checkpoints/*.h5 2>/dev/null | tail -n1)

# forge bf16 (f32 masters) at the same micro-batch: the comparison with PyTorch's bf16 autocast.
log "forge bf16, micro-batch $chosen, $steps steps"
watch_memory "$work/forge-bf16.mem"
timeout 240 "$bin/forge" run "$here/gpt2-124m.yaml" --run-dir "$work/forge-bf16" \
  "data.train.paths=[$work/data/train]" "train.micro_batch=$chosen" "train.steps=$steps" \
  "schedule.warmup_steps=$warmup" precision=bf16 "${forge_extra[@]}" >"$work/forge-bf16.log" 2>&1
rc=$?
stop_memory "$work/forge-bf16.mem" >"$results/forge-bf16.peak_mib"
cp "$work/forge-bf16.log" "$results/"
[[ -s $work/forge-bf16/metrics.jsonl ]] && cp "$work/forge-bf16/metrics.jsonl" "$results/forge-bf16-metrics.jsonl"
((rc == 0)) || { tail -n 20 "$work/forge-bf16.log"; log "forge bf16 failed (rc $rc); see $results/forge-bf16.log"; }

# PyTorch at forge's micro-batch: bf16 (what a PyTorch user runs) and fp32 (forge's arithmetic).
for precision in bf16 fp32; do
  log "pytorch $precision, micro-batch $chosen, $steps steps"
  watch_memory "$work/torch-$precision.mem"
  timeout 240 "$python" "$here/torch_reference.py" --shard "$shard" --micro-batch "$chosen" \
    --steps "$steps" --precision "$precision" --warmup "$warmup" --out "$results/torch-$precision.json" \
    "${torch_extra[@]}" >"$results/torch-$precision.log" 2>&1
  rc=$?
  if ((rc != 0)); then
    log "pytorch $precision failed (rc $rc) with torch.compile; again without it"
    tail -n 5 "$results/torch-$precision.log"
    timeout 150 "$python" "$here/torch_reference.py" --shard "$shard" --micro-batch "$chosen" \
      --steps "$steps" --precision "$precision" --warmup "$warmup" --no-compile --out "$results/torch-$precision.json" \
      "${torch_extra[@]}" >>"$results/torch-$precision.log" 2>&1 || log "pytorch $precision failed again"
  fi
  echo "$(stop_memory "$work/torch-$precision.mem")" >"$results/torch-$precision.peak_mib"
done

# The same weights: forge's final checkpoint, one batch, forge (GPU and CPU) and PyTorch.
log "same weights: ${checkpoint:-no checkpoint, skipped}"
if [[ -n $checkpoint ]]; then
  for where in $check_devices; do
    timeout 120 "$bin/forge_checkpoint_loss" "$checkpoint" "$work/data/batch.i32" 4 \
      --device "$where" >"$results/forge-loss-$where.json" 2>"$results/forge-loss-$where.err" ||
      log "forge_checkpoint_loss on $where failed: $(tail -n 3 "$results/forge-loss-$where.err")"
  done
  timeout 120 "$python" "$here/same_weights.py" "$checkpoint" "$work/data/batch.i32" 4 \
    --device "$device" >"$results/torch-loss.json" 2>"$results/torch-loss.err" ||
    log "same_weights.py failed: $(tail -n 3 "$results/torch-loss.err")"
fi

log "summary"
"$python" - "$results" "$chosen" "$forge_peak" "$seq" "$device" <<'PY' | tee "$results/summary.txt"
import json, os, statistics, sys
results, micro_batch, forge_peak, T, device = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
L, C, V, PEAK = 12, 768, 50257, 989e12
fpt = 6 * (12 * L * C * C + V * C) + 12 * L * C * T

def load(name):
    try:
        with open(os.path.join(results, name)) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except Exception:
        return None

def peak_of(name):
    try:
        return float(open(os.path.join(results, name)).read().strip()) / 1024
    except Exception:
        return float("nan")

rows, nan = [], float("nan")

def forge_row(label, name, peak_gib):
    # The median over the steps after the first five (compilation, allocator warm-up).
    path = os.path.join(results, name)
    metrics = [json.loads(l) for l in open(path) if l.strip()] if os.path.exists(path) else []
    if not metrics:
        rows.append((f"{label} (FAILED)", micro_batch, nan, nan, nan, nan, nan))
        return nan, metrics
    timed = [m["tok_per_s"] for m in metrics[5:]] or [m["tok_per_s"] for m in metrics]
    tps = statistics.median(timed)
    rows.append((label, micro_batch, tps, tps * fpt / PEAK, peak_gib, metrics[0]["loss"],
                 metrics[-1]["loss"]))
    return tps, metrics

tps, metrics = forge_row("forge fp32", "forge-metrics.jsonl", float(forge_peak or "nan") / 1024)
bf16_tps, _ = forge_row("forge bf16", "forge-bf16-metrics.jsonl", peak_of("forge-bf16.peak_mib"))
for precision in ("bf16", "fp32"):
    r = load(f"torch-{precision}.json")
    if r:
        name = f"pytorch {precision}" + ("" if r["compiled"] else " (eager)")
        rows.append((name, r["micro_batch"], r["tok_per_s"], r["mfu"],
                     peak_of(f"torch-{precision}.peak_mib"), r["losses"][0], r["losses"][-1]))
    else:
        rows.append((f"pytorch {precision}", micro_batch, float("nan"), float("nan"),
                     float("nan"), float("nan"), float("nan")))
print(f"GPT-2 124M, T {T}, {len(metrics)} forge steps; MFU = tok/s x {fpt / 1e9:.3f} GFLOP/token / 989 TFLOP/s (bf16 dense)")
print(f"{'implementation':<22} {'B':>3} {'tok/s':>10} {'MFU':>7} {'peak GiB':>9} {'loss[0]':>8} {'loss[-1]':>8} {'vs forge':>8}")
for name, b, t, mfu, mem, first, last in rows:
    print(f"{name:<22} {b:>3} {t:>10.0f} {100 * mfu:>6.2f}% {mem:>9.1f} {first:>8.4f} {last:>8.4f} {t / tps:>7.2f}x")
torch_bf16 = load("torch-bf16.json")
if torch_bf16:
    print(f"forge bf16 / pytorch bf16: {bf16_tps / torch_bf16['tok_per_s']:.3f}x")
fc, fh, tl = load(f"forge-loss-{device}.json"), load("forge-loss-cpu.json"), load("torch-loss.json")
if device == "cpu":
    fh = None
print(f"same weights (forge's final checkpoint, 4 x {T} tokens), mean loss:")
def show(label, value, ref=None):
    if value is None:
        print(f"  {label:<28} (missing)")
    else:
        extra = f"   |diff| vs forge {device} {abs(value - ref):.2e}" if ref is not None else ""
        print(f"  {label:<28} {value:.6f}{extra}")
ref = fc["loss"] if fc else None
show(f"forge {device} fp32", ref)
if device != "cpu":
    show("forge cpu fp32", fh["loss"] if fh else None, ref)
show("pytorch fp32 (no TF32)", tl.get("fp32_loss") if tl else None, ref)
show("pytorch bf16 autocast", tl.get("bf16_loss") if tl else None, ref)
if fc and tl and "fp32_loss" in tl:
    ok = abs(fc["loss"] - tl["fp32_loss"]) < 1e-3
    print(f"  same model: {'yes' if ok else 'NO'} (fp32 losses within 1e-3)")
PY
log "done; results in $results"
