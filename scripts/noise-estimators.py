#!/usr/bin/python3
"""Measures candidate noise estimators for `--sigma auto` (issue #18, point 3) on real clean images.

Usage: /usr/bin/python3 scripts/noise-estimators.py [--training] [DATA_DIR]   (default sample-data/data)

The held-out and validation images (docs/MODELS.md), and with --training the training images too.

For each image (grey, scaled to [0, 1] by its own range) and its 2x and 4x area-downsampled versions (what a
super-resolution input looks like), prints each estimator's sigma on the clean image in % of the range, and on
the same image with Gaussian noise of 5, 15, 25, 50/255 (unclipped, seed 0) the worst relative error. Then the
summary per estimator: the largest clean estimate and the largest relative error. Targets: clean < 0.5%,
noisy within 10%.

Candidates:
  mad-hh   median |HH| / 0.6745 of the db2 wavelet's diagonal detail (Donoho & Johnstone; skimage's
           estimate_sigma; yax's estimator before issue #18)
  pca-min  the smallest eigenvalue of the covariance of all 7x7 patches (Liu, Tanaka, Okutomi 2013, no selection)
  pca-wt   Liu, Tanaka, Okutomi 2013: the same on weak-texture patches only, selected by the gradient-energy
           threshold of the current estimate, iterated
Needs numpy, scipy and pywt (Debian: python3-skimage, python3-pywt) and, for DICOM, pydicom.
"""
import os
import sys

import numpy as np
import pywt
from scipy.stats import gamma
from skimage import io

PATCH = 7
CONFIDENCE = 0.99
ITERATIONS = 10
TRAINING = False


def mad_hh(img):
    hh = pywt.dwtn(img, "db2")["dd"]
    return np.median(np.abs(hh)) / 0.6744897501960817


def patches(img, stride=1):
    from numpy.lib.stride_tricks import sliding_window_view
    p = sliding_window_view(img, (PATCH, PATCH))[::stride, ::stride]
    return p.reshape(-1, PATCH * PATCH)


def min_eig(rows):
    c = np.cov(rows, rowvar=False)
    return max(np.linalg.eigvalsh(c)[0], 0.0)


def trailing_mean(rows):
    """Chen, Zhu, Heng 2015: the mean of the smallest eigenvalues, as many as keep it their median."""
    e = np.sort(np.maximum(np.linalg.eigvalsh(np.cov(rows, rowvar=False)), 0.0))
    for k in range(len(e), 0, -1):
        m = e[:k].mean()
        if (e[:k] > m).sum() == (e[:k] < m).sum():
            return m
    return e[0]


def pca_chen(img):
    return np.sqrt(trailing_mean(patches(img)))


def pca_min(img):
    return np.sqrt(min_eig(patches(img)))


def texture(img):
    """Per patch: the sum of squared horizontal and vertical differences inside the patch."""
    gx = np.zeros_like(img)
    gy = np.zeros_like(img)
    gx[:, :-1] = img[:, 1:] - img[:, :-1]
    gy[:-1, :] = img[1:, :] - img[:-1, :]
    # differences that stay inside a patch: PATCH x (PATCH - 1) of each kind
    from numpy.lib.stride_tricks import sliding_window_view
    ex = sliding_window_view(gx ** 2, (PATCH, PATCH - 1)).sum(axis=(2, 3))[:, :-1]
    ey = sliding_window_view(gy ** 2, (PATCH - 1, PATCH)).sum(axis=(2, 3))[:-1, :]
    return (ex + ey).reshape(-1)


def pca_wt(img, variance=min_eig):
    rows = patches(img)
    strength = texture(img)
    # tr(Dh^T Dh + Dv^T Dv) for the in-patch difference operators: 2 * PATCH * (PATCH - 1) differences of two
    # pixels each, each contributing 2 to the trace
    trace = 2 * 2 * PATCH * (PATCH - 1)
    n = PATCH * PATCH
    threshold_unit = gamma.ppf(CONFIDENCE, a=n / 2, scale=2.0 * trace / n)
    var = variance(rows)
    for _ in range(ITERATIONS):
        weak = strength < var * threshold_unit
        if weak.sum() < 2 * n:
            break
        new = variance(rows[weak])
        if abs(new - var) <= 1e-4 * var:
            var = new
            break
        var = new
    return np.sqrt(var)


ESTIMATORS = {"mad-hh": mad_hh, "pca-min": pca_min, "pca-wt": pca_wt, "pca-chen": pca_chen,
              "pca-wt-chen": lambda img: pca_wt(img, trailing_mean)}


def grey(path):
    if path.endswith(".dcm"):
        import pydicom
        return pydicom.dcmread(path).pixel_array.astype(np.float64)
    a = io.imread(path).astype(np.float64)
    if a.ndim == 3:
        a = a[..., :3] @ np.array([0.2125, 0.7154, 0.0721]) if a.shape[2] >= 3 else a[..., 0]
    return a


def area(img, f):
    h, w = img.shape[0] // f * f, img.shape[1] // f * f
    return img[:h, :w].reshape(h // f, f, w // f, f).mean(axis=(1, 3))


def images(data):
    out = []
    for folder in ("heldout", "validation", "training/natural", "training/mri"):
        d = os.path.join(data, folder)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name != "phantom.png" and (TRAINING or not folder.startswith("training")):
                    out.append((folder + "/" + name, grey(os.path.join(d, name))))
    landsat = os.path.join(data, "archive/raster/L7_ETMs.tif")
    if os.path.exists(landsat):
        bands = io.imread(landsat).astype(np.float64)
        bands = bands if bands.shape[0] == 6 else np.moveaxis(bands, -1, 0)
        half = bands.shape[1] // 2
        # the sets' crops (scripts/eval-models.sh): held-out bands 1-3 north, validation bands 4-6 south
        for b in range(3):
            out.append(("heldout/L7_ETMs band %d north" % (b + 1), bands[b, :half]))
        for b in range(3, 6):
            out.append(("validation/L7_ETMs band %d south" % (b + 1), bands[b, half:2 * half]))
    return out


def main():
    global TRAINING
    args = [a for a in sys.argv[1:] if a != "--training"]
    TRAINING = "--training" in sys.argv
    data = args[0] if args else "sample-data/data"
    sigmas = [5, 15, 25, 50]
    names = list(ESTIMATORS)
    print("| image | size | " + " | ".join("%s clean %% | %s worst error %%" % (n, n) for n in names) + " |")
    print("|---|---|" + "---|---|" * len(names))
    worst_clean = {n: 0.0 for n in names}
    worst_noisy = {n: 0.0 for n in names}
    rng = np.random.default_rng(0)
    for label, img in images(data):
        for f in (1, 2, 4):
            x = area(img, f) if f > 1 else img
            lo, hi = x.min(), x.max()
            if hi <= lo or min(x.shape) < 32:
                continue
            x = (x - lo) / (hi - lo)
            noise = rng.standard_normal(x.shape)
            cells = []
            for n in names:
                est = ESTIMATORS[n]
                clean = est(x) * 100
                err = max(abs(est(x + s / 255 * noise) / (s / 255) - 1) for s in sigmas) * 100
                worst_clean[n] = max(worst_clean[n], clean)
                worst_noisy[n] = max(worst_noisy[n], err)
                cells.append("%.2f | %.1f" % (clean, err))
            print("| %s%s | %dx%d | %s |" % (label, "" if f == 1 else " /%d" % f, x.shape[1], x.shape[0],
                                            " | ".join(cells)), flush=True)
    print()
    print("| estimator | largest clean estimate (% of range) | largest relative error, noise 5-50/255 (%) |")
    print("|---|---|---|")
    for n in names:
        print("| %s | %.2f | %.1f |" % (n, worst_clean[n], worst_noisy[n]))


if __name__ == "__main__":
    main()
