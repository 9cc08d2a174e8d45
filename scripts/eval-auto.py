#!/usr/bin/python3
"""The tables and the card's auto list from scripts/eval-models.sh's reports (docs/MODELS.md, "How auto is decided").

Usage: /usr/bin/python3 scripts/eval-auto.py REPORT_DIR [CARD.json]

Prints, per evaluation, the PSNR (dB) of every method on every image and the mean, then the auto decision per
task. With CARD.json it rewrites the card's "validation" (mean PSNR per evaluation and method) and "auto" entries,
atomically, leaving the rest of the card as it is.

The rule: per task, the candidates are the solvers (tv, tikhonov, nlm, network, pnp), never a baseline. A candidate
qualifies when it beats the task's naive baseline (noisy, bicubic, filled, blurred, zero-filled) on every image at
every noise level evaluated for the task. auto is the qualifying candidate with the best mean PSNR; when none
qualifies, the method (baseline included) with the best mean PSNR.
"""
import csv
import json
import os
import sys
from collections import defaultdict

BASELINE = {"denoise": "noisy", "sr-x2": "bicubic", "sr-x4": "bicubic", "inpaint-50": "filled",
            "mri-4x": "zero-filled", "deblur-gauss15": "blurred"}
# the card's name for the task: its head, or the task for those without one
ENTRY = {"denoise": "denoise", "sr-x2": "sr2", "sr-x4": "sr4", "inpaint-50": "inpaint", "mri-4x": "mri",
         "deblur-gauss15": "deblur"}
HEADLESS = {"mri-4x", "deblur-gauss15"}
CANDIDATES = ("tv", "tikhonov", "nlm", "network", "pnp")


THROUGH_PLANE = "sr-z"


def rows(path):
    with open(path) as f:
        return [r for r in csv.DictReader(l for l in f if not l.startswith("#")) if r["status"] == "done"]


def task_of_entry(entry):
    """The task of a card's auto entry ("sr2:pnp" -> "sr-x2"); an entry of no task here (sr-z) maps to itself."""
    head = entry.split(":")[0]
    return next((t for t, e in ENTRY.items() if e == head), entry)


def task_of(evaluation):
    return "denoise" if evaluation.startswith("denoise-") else evaluation


def main():
    folder = sys.argv[1]
    card_path = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    scores = {}  # evaluation -> method -> image -> PSNR
    for name in sorted(os.listdir(folder)):
        if name.endswith(".csv"):
            by = defaultdict(dict)
            for r in rows(os.path.join(folder, name)):
                by[r["method"]][os.path.basename(r["input"])] = float(r["psnr_after"])
            scores[name[:-4]] = by
    validation = {}
    for evaluation, by in scores.items():
        methods = list(by)
        images = sorted({i for m in by.values() for i in m})
        print("\n%s: PSNR dB per image" % evaluation)
        print("| image | " + " | ".join(methods) + " |")
        print("|---|" + "---|" * len(methods))
        for i in images:
            print("| %s | %s |" % (i, " | ".join("%.2f" % by[m][i] if i in by[m] else "-" for m in methods)))
        means = {m: sum(by[m].values()) / len(by[m]) for m in methods}
        print("| **mean** | %s |" % " | ".join("%.2f" % means[m] for m in methods))
        for m in methods:
            validation["%s %s mean PSNR" % (evaluation, m)] = round(means[m], 2)

    groups = defaultdict(list)
    for evaluation in scores:
        if task_of(evaluation) in BASELINE:
            groups[task_of(evaluation)].append(evaluation)
    auto = []
    print("\nauto, by the rule (docs/MODELS.md):")
    for task, evaluations in sorted(groups.items()):
        base = BASELINE[task]
        psnr = defaultdict(list)
        worst = defaultdict(lambda: float("inf"))
        for e in evaluations:
            by = scores[e]
            for m in by:
                psnr[m].extend(by[m].values())
                if m in CANDIDATES:
                    for i, p in by[m].items():
                        worst[m] = min(worst[m], p - by[base][i])
        mean = {m: sum(v) / len(v) for m, v in psnr.items()}
        qualifying = [m for m in CANDIDATES if m in mean and worst[m] > 0]
        pool = qualifying or [m for m in mean if m in CANDIDATES or m == base]
        choice = max(pool, key=lambda m: mean[m])
        detail = ", ".join("%s %.2f (worst %+.2f vs %s)" % (m, mean[m], worst[m], base)
                           for m in CANDIDATES if m in mean)
        print("  %s: %s (%s; %s)" % (task, choice, "beats %s on every image" % base if qualifying
                                     else "nothing beats %s on every image: best mean" % base, detail))
        entry = ENTRY[task]
        if choice == "network":
            auto.append(entry)
        elif choice == "pnp":
            auto.append(entry + ":pnp")
        elif choice != "tv":
            # the card can only name the network, plug-and-play or (by leaving the task out) TV
            print("  WARNING: %s chose %s, which --method auto cannot run; the task stays TV" % (task, choice))
    print("auto (for the card):", json.dumps(auto))

    if card_path:
        with open(card_path) as f:
            card = json.load(f)
        # entries of evaluations without a report here are kept as they are: through-plane ones come from
        # `yax eval --task sr-z` (docs/MODELS.md), others from an earlier run of
        # scripts/eval-models.sh (--steps runs a part of it)
        kept = {k: v for k, v in card.get("validation", {}).items() if k.split(" ")[0] not in scores}
        card["validation"] = {**validation, **kept}
        card["auto"] = auto + [a for a in card.get("auto", []) if task_of_entry(a) not in groups]
        tmp = card_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(card, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, card_path)
        print("wrote validation and auto into", card_path)


if __name__ == "__main__":
    main()
