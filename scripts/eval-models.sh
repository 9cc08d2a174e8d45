#!/usr/bin/env bash
# The learned model's evaluation (docs/MODELS.md), through `yax eval`, on one image set:
#   scripts/eval-models.sh [heldout|validation|--set heldout|validation] [--steps a,b,...] [yax eval arguments,
#                          e.g. --model PATH]
# heldout (default): the 12 held-out images (never trained or tuned on) plus the out-of-domain phantom; prints the
#   table per image and method, and writes the card's validation scores and auto list by the rule below into the
#   evaluated model's card (the built-in card, or PATH.json beside --model PATH).
# validation: the 12 validation images, where settings are tuned; prints the table, writes no card.
# --steps runs only the named evaluations (denoise-15, denoise-25, denoise-50, sr-x2, sr-x4, inpaint-50, mri-4x,
#   deblur-gauss15, adapt-denoise-25, adapt-sr-x2); the reports of earlier runs in out/eval/SET/ stay, and
#   scripts/eval-auto.py keeps the card's entries of tasks that have no report there.
# Reports in out/eval/SET/. Sets up whatever is missing first, unless YAX_EVAL_DATA names another sample-data folder
# (one that scripts/setup.sh's real-data step filled). The held-out set took 24 minutes on 2 idle cores (2026-12-06:
# deblurring 12 of them, MRI 4.5, sr x2 under 1).
set -euo pipefail
cd "$(dirname "$0")/.."
set_name="heldout"
case "${1:-}" in
  heldout|validation) set_name="$1"; shift ;;
  --set) case "${2:-}" in heldout|validation) set_name="$2"; shift 2 ;;
           *) echo "eval-models: --set takes heldout or validation" >&2; exit 2 ;; esac ;;
esac
steps=""
if [ "${1:-}" = --steps ]; then steps=",${2:?--steps needs a list},"; shift 2; fi
data="${YAX_EVAL_DATA:-sample-data/data}"
[ -n "${YAX_EVAL_DATA:-}" ] || bash scripts/setup.sh >&2
out="out/eval/$set_name"
mapfile -t images < <(bash scripts/eval-images.sh "$set_name" "$data" "$out")
[ "${#images[@]}" -ge 12 ] || { echo "eval-models: only ${#images[@]} images in $data/$set_name" >&2; exit 1; }
run() { # name, then yax eval arguments
  local name="$1"; shift
  if [ -n "$steps" ] && [[ "$steps" != *",$name,"* ]]; then return 0; fi
  echo "=== $name: ./yax eval $* ===" >&2
  ./yax eval "$@" --report "$out/$name.csv" >&2
}
# Every image task is scored as users run it: the solvers estimate sigma from each measurement (yax reconstruct's
# default --sigma auto) instead of being told the simulated one. MRI has no user run to match (k-space).
as_run=--estimate-sigma
for s in 15 25 50; do
  # sigma in /255 of each image's range, as the percentage yax eval takes
  run "denoise-$s" "${images[@]}" --task denoise --sigma "$(awk "BEGIN{printf \"%.4f%%\", $s/255*100}")" \
    $as_run --methods noisy,tv,nlm,network,pnp "$@"
done
run sr-x2 "${images[@]}" --task sr --scale 2 $as_run --methods bicubic,tv,network,pnp "$@"
run sr-x4 "${images[@]}" --task sr --scale 4 $as_run --methods bicubic,tv,network,pnp "$@"
run inpaint-50 "${images[@]}" --task inpaint --missing 0.5 $as_run --methods filled,tv,network,pnp "$@"
run mri-4x "${images[@]}" --task mri --acceleration 4 --methods zero-filled,tv,pnp "$@"
run deblur-gauss15 "${images[@]}" --task deblur --psf gaussian:1.5 $as_run --methods blurred,tikhonov,tv,pnp "$@"
if [ "$set_name" = heldout ]; then
  # out of domain: a piecewise-constant phantom, unlike every training image
  run adapt-denoise-25 "$data/heldout/phantom.png" --task denoise --sigma 9.8039% $as_run \
    --methods noisy,tv,network,adapted "$@"
  run adapt-sr-x2 "$data/heldout/phantom.png" --task sr --scale 2 $as_run \
    --methods bicubic,tv,network,adapted "$@"
fi
card=""
if [ "$set_name" = heldout ]; then
  card=models/src/main/resources/org/yax/models/builtin/yax-mt-small.json
  prev=""
  for a in "$@"; do
    [ "$prev" = --model ] && case "$a" in
      *.params|*.pt) card="${a%.*}.json" ;;
      yax-mt-small) ;;
      *) card="" ;; # another registry name: its card is not a file here
    esac
    prev="$a"
  done
fi
/usr/bin/python3 scripts/eval-auto.py "$out" "$card"
