#!/usr/bin/env bash
# The learned model's evaluation on held-out real images (never trained on; see docs/MODELS.md): every target of
# the model issue, through `yax eval`, with reports in out/eval/ and a summary table (mean PSNR per method) at the
# end. Sets up whatever is missing first. Extra arguments go to every yax eval (e.g. --model PATH).
# Takes about 25 minutes on 2 cores. Ends with the card's auto list by the rule in docs/MODELS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
held=sample-data/data/heldout
images=("$held/camera.png" "$held/moon.png" "$held/coins.png" "$held/BrainT1Slice.png")
mkdir -p out/eval
run() { # name, then yax eval arguments
  local name="$1"; shift
  echo "=== $name: ./yax eval $* ===" >&2
  ./yax eval "$@" --report "out/eval/$name.csv" >&2
}
for s in 15 25 50; do
  # sigma in /255 of each image's range, as the percentage yax eval takes
  run "denoise-$s" "${images[@]}" --task denoise --sigma "$(awk "BEGIN{printf \"%.4f%%\", $s/255*100}")" \
    --methods noisy,tv,nlm,network,pnp "$@"
done
run sr-x2 "${images[@]}" --task sr --scale 2 --methods bicubic,tv,network,pnp "$@"
run sr-x4 "${images[@]}" --task sr --scale 4 --methods bicubic,tv,network,pnp "$@"
run inpaint-50 "${images[@]}" --task inpaint --missing 0.5 --methods mean-filled,tv,network,pnp "$@"
run mri-4x "${images[@]}" --task mri --acceleration 4 --methods zero-filled,tv,pnp "$@"
run deblur-gauss15 "${images[@]}" --task deblur --psf gaussian:1.5 --methods blurred,tikhonov,tv,pnp "$@"
# out of domain: a piecewise-constant phantom, unlike every training image
run adapt-denoise-25 "$held/phantom.png" --task denoise --sigma 9.8039% --methods noisy,tv,network,adapted "$@"
run adapt-sr-x2 "$held/phantom.png" --task sr --scale 2 --methods bicubic,tv,network,adapted "$@"
/usr/bin/python3 - out/eval <<'PY'
import csv, json, os, sys
from collections import defaultdict
folder = sys.argv[1]
print("| evaluation | " + " | ".join(["method: mean PSNR dB (per image)"]) + " |")
print("|---|---|")
for name in sorted(os.listdir(folder)):
    if not name.endswith(".csv"):
        continue
    rows = [r for r in csv.DictReader(l for l in open(os.path.join(folder, name)) if not l.startswith("#"))]
    by = defaultdict(list)
    for r in rows:
        if r["status"] == "done":
            by[r["method"]].append((os.path.basename(r["input"]), float(r["psnr_after"])))
    cells = []
    for m, v in by.items():
        cells.append("%s %.2f (%s)" % (m, sum(p for _, p in v) / len(v), ", ".join("%.2f" % p for _, p in v)))
    print("| %s | %s |" % (name[:-4], "; ".join(cells)))

# auto: the learned method with the best mean where it beats the best classical method (by mean) on every
# held-out image, for every noise level of the task
CLASSICAL = {"tv", "tikhonov", "nlm", "bicubic"}
ENTRY = {"denoise": "denoise", "sr-x2": "sr2", "sr-x4": "sr4", "inpaint-50": "inpaint", "deblur-gauss15": None}
groups = defaultdict(list)
for name in sorted(os.listdir(folder)):
    base = name[:-4]
    key = "denoise" if base.startswith("denoise-") else base
    if name.endswith(".csv") and key in ENTRY:
        groups[key].append(name)
auto = []
for key, names in sorted(groups.items()):
    wins = {}
    for name in names:
        rows = [r for r in csv.DictReader(l for l in open(os.path.join(folder, name)) if not l.startswith("#"))]
        by = defaultdict(dict)
        for r in rows:
            if r["status"] == "done":
                by[r["method"]][r["input"]] = float(r["psnr_after"])
        mean = lambda m: sum(by[m].values()) / len(by[m])
        best = max((m for m in by if m in CLASSICAL), key=mean)
        for m in ("network", "pnp"):
            if m in by:
                ok = all(by[m][i] > by[best][i] for i in by[best])
                wins.setdefault(m, []).append((ok, mean(m) - mean(best)))
    good = [(sum(d for _, d in v) / len(v), m) for m, v in wins.items() if all(ok for ok, _ in v)]
    if good:
        m = max(good)[1]
        head = ENTRY[key]
        auto.append(head if m == "network" else ("pnp" if head is None else head + ":pnp"))
print("auto (for the card):", json.dumps(auto))
PY
