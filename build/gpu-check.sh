#!/usr/bin/env bash
# GPU check for DigitsGpu, in two parts:
#
#   build/gpu-check.sh publish [OUT]   on a machine with the .NET SDK: publishes DigitsGpu self-contained for linux-x64
#                                      into OUT (default artifacts/gpu-check/DigitsGpu), with this script beside it.
#   OUT/gpu-check.sh run [TRIALS]      on a machine with a GPU and no .NET SDK (copy OUT there): the same short sweep
#                                      twice, with GPU agents (--gpus all: an agent per CUDA device) and on ILGPU's CPU
#                                      accelerator (--gpus none, two CPU agents), and prints trials/s for each.
#
# Without a GPU the first sweep says "No GPU found" and runs on a CPU agent, so the script also checks that path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

publish() {
    local root out
    root="$(cd "$here/.." && pwd)"
    out="${1:-$root/artifacts/gpu-check/DigitsGpu}"
    # UseAppHost: build/Experiment.targets makes experiments executables after the SDK has decided on an apphost, so
    # none is made by default; a machine without the dotnet host needs one (agents start it again as child processes).
    dotnet publish "$root/experiments/DigitsGpu/DigitsGpu.csproj" -c Release -r linux-x64 --self-contained -p:UseAppHost=true -o "$out"
    cp "$here/gpu-check.sh" "$out/gpu-check.sh"
    chmod +x "$out/gpu-check.sh" "$out/DigitsGpu"
    echo "Published DigitsGpu (self-contained, linux-x64) to $out ($(du -sh "$out" | cut -f1)). On the GPU machine: $out/gpu-check.sh run"
}

# One timed sweep in a fresh sweep home; prints its trials/s and the sweep's last lines.
sweep() {
    local label="$1" trials="$2"
    shift 2
    local home log start end
    home="$(mktemp -d)"
    log="$home/sweep.log"
    printf '%s' "$space" >"$home/space.yaml"
    start=$(date +%s.%N)
    if ! TUNE_HOME="$home" "$here/DigitsGpu" sweep --sweep "gpu-check-$label" --seed 7 --max-trials "$trials" --no-publish \
        --config "$home/space.yaml" "$@" >"$log" 2>&1; then
        cat "$log"
        echo "gpu-check: the $label sweep failed (above)." >&2
        exit 1
    fi
    end=$(date +%s.%N)
    grep -E "^(No GPU found|GPU agents:)" "$log" || true
    tail -n 2 "$log"
    awk -v n="$trials" -v s="$start" -v e="$end" -v l="$label" 'BEGIN { printf "%s: %d trials in %.1f s, %.3f trials/s\n", l, n, e - s, n / (e - s) }'
    rm -rf "$home"
}

run() {
    local trials="${1:-8}"
    [[ -x "$here/DigitsGpu" ]] || { echo "gpu-check: no DigitsGpu executable beside this script; run 'build/gpu-check.sh publish' first and copy its folder." >&2; exit 2; }
    # The same small space for both sweeps (the sweep file's keys: docs/publishing.md); sweep writes it into its home.
    local space='space:
  Epochs: {type: int, min: 8, max: 10}
  Width: {type: int, min: 32, max: 128, log: true}
  BatchSize: {type: choice, values: [64, 128]}
  LearningRate: {type: loguniform, min: 0.02, max: 0.5}
'
    sweep gpu "$trials" --gpus all
    sweep cpu "$trials" --gpus none --agents 2 --threads-per-trial 1
}

case "${1:-}" in
    publish) shift; publish "$@" ;;
    run) shift; run "$@" ;;
    *) echo "usage: $0 publish [OUT] | run [TRIALS]" >&2; exit 2 ;;
esac
