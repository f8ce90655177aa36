#!/usr/bin/env bash
# The whole bench table in one command: this module against libtorch (TorchSharp-cpu 0.107) in
# one process with alternating rounds (fp64/fp32 epochs, ours -Precision Single for fp32; SGD and
# Adam), the full Test-Gradient,
# and the peak working set of the main job (examples/07-TrainFashionMnist.ps1 -Epochs 2).
#
#   bash bench/run-bench.sh [rounds] [--adam]   (default 7 rounds, SGD only; --adam adds Adam rows;
#                                               needs patchelf, g++, python3 on Debian 12)
#
# On Debian 12 TorchSharp's native library needs a newer libstdc++ than the system's; the patch
# that fixes that is not part of this repository: it is taken from ../shared/tools/torchsharp-debian12
# next to the main checkout (or from $TORCHSHARP_DEBIAN12), and the script stops if it is absent.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
rounds="${1:-7}"; shift || true

# The main checkout: the repository itself, or for a git worktree the checkout its .git belongs to.
main="$(cd "$(git rev-parse --git-common-dir)/.." && pwd)"
patch_dir="${TORCHSHARP_DEBIAN12:-$main/../shared/tools/torchsharp-debian12}"
out="bench/LibTorchComparison/bin/Release/net10.0"

dotnet build -c Release -nologo -v q bench/LibTorchComparison
if [ "$(uname -s)" = Linux ] && grep -qs 'VERSION_ID="12"' /etc/os-release; then
  if [ ! -f "$patch_dir/apply.sh" ]; then
    echo "error: $patch_dir/apply.sh not found. TorchSharp 0.107 does not load on Debian 12 without it;" >&2
    echo "       set TORCHSHARP_DEBIAN12 to the folder of the torchsharp-debian12 tool." >&2
    exit 1
  fi
  bash "$patch_dir/apply.sh" "$out"
fi
# NOTE: libtorch's OpenMP workers spin at barriers by default; on a shared, oversubscribed machine a
# descheduled worker then stalls the others for whole time slices (an fp64 epoch measured 9–66 s at
# load 20). PASSIVE makes them sleep instead, which is what this module's own workers do after a
# 0.5 ms spin. Set OMP_WAIT_POLICY yourself to compare with other settings.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
echo "OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
dotnet "$out/LibTorchComparison.dll" "$rounds" "$@"

# Peak working set of the main job, when Fashion-MNIST is installed.
if [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && [ -x /usr/bin/time ]; then
  dotnet build src/BackpropModule -c Release -nologo -v q >/dev/null
  log="$(mktemp)"
  dotnet tool restore >/dev/null
  if ! /usr/bin/time -v dotnet pwsh -NoProfile -c \
    "Import-Module ./out/BackpropModule/BackpropModule.psd1; & ./examples/07-TrainFashionMnist.ps1 -Epochs 2" >"$log" 2>&1 \
    || ! grep -q '^Accuracy' "$log"; then
    echo "error: the main job failed; its output:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")"
  wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
  echo "| peak working set, main job (Fashion-MNIST, 2 epochs, validation) | $((kb / 1024)) MiB ($wall wall) | — | | ≤ 250 MB |"
  rm -f "$log"
else
  echo "(peak working set not measured: Fashion-MNIST or /usr/bin/time missing)"
fi
