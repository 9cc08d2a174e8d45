#!/usr/bin/python3
"""Measures candidate noise estimators for `--sigma auto` (issue #18, point 3) on real clean images.

Usage: /usr/bin/python3 scripts/noise-estimators.py [--set heldout|validation] [--training]
           [--estimators a,b,...] [--seed N] [--blur S] [--sigmas a,b,...] [--missing F] [DATA_DIR]
           (default: both sets, all estimators, no blur, noise 5,15,25,50/255, sample-data/data)

The held-out and validation images (docs/MODELS.md; Landsat: the crops of scripts/eval-models.sh), or one set with
--set, and with --training the training images too. Tuning is done on --set validation only.

For each image (grey, scaled to [0, 1] by its own range) and its 2x and 4x area-downsampled versions (what a
super-resolution input looks like), prints each estimator's sigma on the clean image in % of the range, and on
the same image with Gaussian noise of 5, 15, 25, 50/255 (unclipped, seed 0 or --seed N) the worst relative
error (--sigmas: other noise levels; --blur S: each plane blurred by a Gaussian of S pixels first, what a
deblurring input looks like). Then the summary per estimator: the largest clean estimate, the largest relative
error and how many planes miss the targets (clean < 0.5%, noisy within 10%). The noisy misses of one noise draw
are mostly the spread of the estimate on small planes: compare candidates over several --seed values
(docs/MODELS.md).

Candidates (patches on a grid thinned to at most 16384, as core's WeakTexturePca):
  mad-hh           median |HH| / 0.6745 of the db2 wavelet's diagonal detail (Donoho & Johnstone; skimage's
                   estimate_sigma; yax's estimator before issue #18)
  pca-wt           Liu, Tanaka, Okutomi 2013: the smallest eigenvalue of the covariance of weak-texture 7x7
                   patches, selected by the 99% gradient-energy threshold of the current estimate, iterated
  pca-wt-chen      the same with Chen, Zhu, Heng 2015's mean of the trailing eigenvalues (yax's before this
                   change); -5 and -4: 5x5 and 4x4 patches
  least-4-5-7      the least of pca-wt-chen with 4x4, 5x5 and 7x7 patches (yax's --sigma auto 2026-12-03 to 05)
  least-4-5-7-c90  the same with a 90% selection threshold
  least-9, least-11, least-4-5-7-9, least-4-5-7-9-11
                   larger patches alone and added to the least-of rule (measured 2026-12-04, none shipped)
  least-4-5-7-c90-corrected, least-4-5-7-c99-corrected
                   each size's variance divided, inside the iteration, by what the selection keeps of pure noise
                   (truncation_ratio: the trailing mean of the weak-texture patches of Gaussian noise, selected
                   at the true sigma, over sigma^2), so that pure noise is a fixed point; lets a tighter
                   threshold admit less texture without the low bias of least-4-5-7-c90 (none shipped)
  settled-4-5-7, settled-4-5-7-9, settled-4-5-7-c90-corrected
                   the least only over the sizes whose iteration settled (did not stop with too few patches
                   while the estimate was still falling), all sizes where none settled (none shipped)
  curv-4-5-7, curv-both-4-5-7
                   least-4-5-7 with the patches selected by their curvature (squared second differences, 0 on a
                   ramp; threshold: the measured quantile of pure noise) instead of, or as well as, their gradient
                   energy (measured 2026-12-04, none shipped)
  zw-8, zw-4, least-zw-8
                   Zoran & Weiss 2009: one clean kurtosis across the 8x8 (4x4) DCT's band-pass filters, diluted by
                   the noise; least-zw-8 the least of it and least-4-5-7 (measured 2026-12-04, none shipped)
  smooth-4-5-7, smooth-both-4-5-7
                   least-4-5-7 with the patches selected by the gradient energy of their 2 x 2 averages (noise's
                   99% quantile of it measured: smooth_quantile) instead of, or as well as, their own
  least-smooth-both
                   the least of least-4-5-7 and smooth-both-4-5-7 (yax's --sigma auto since 2026-12-05)
  smooth-settled-4-5-7
                   per size smooth-both's estimate where its iteration settled, else the gradient selection's; the
                   least over the sizes (measured 2026-12-05, not shipped)
  scale-consistent least-smooth-both corrected by the estimate on the 2 x 2 averages (the least over the four
                   phases of their grid), which holds a quarter of white noise's variance but, if the image's texture
                   keeps its size across scales, all of the texture's: n^2 = 4 (a^2 - b^2) / 3, at most a
                   (measured 2026-12-05, not shipped)
  collapse-vote    least-smooth-both, but 0 where at least half of its six runs ran out of patches while the
                   estimate was still falling (measured 2026-12-05, not shipped)
  least-smooth-both-calibrated
                   least-smooth-both divided by its mean reading of unit Gaussian noise planes of the same size
                   (what the selection and the least of six do to pure noise; measured 2026-12-05, not shipped)
  detrended-4-5-7, least-detrended-both, least-detrended-smooth
                   the selections with each gradient energy taken about the patch's mean difference (0 on a ramp:
                   shading is not counted as texture; noise's 99% quantile measured: detrended_quantile);
                   least-detrended-both is least-smooth-both so detrended, least-detrended-smooth detrends only the
                   pixels' energy (measured 2026-12-05, not shipped)
  least-smooth-both-measured
                   least-smooth-both with the gradient energy's threshold at noise's measured 99% quantile instead of
                   Liu et al.'s gamma approximation of it (which noise reaches with 97.6-97.7% probability;
                   measured 2026-12-05, not shipped)
  cnn, cnn-q25     the convolutional noise map of scripts/train-noise-cnn.py (its file: $YAX_NOISE_CNN; listed only
                   when that is set), the median (25th percentile) of its 64 x 64 tiles' means (measured
                   2026-12-05, not shipped)
Needs numpy, scipy and pywt (Debian: python3-skimage, python3-pywt) and, for DICOM, pydicom.
"""
import os
import sys

import numpy as np
import pywt
from scipy.stats import gamma
from skimage import io

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_support import option  # noqa: E402

# scipy.stats.norm.ppf(0.75): the median of |N(0, 1)|, which turns a median |detail| into sigma
NORMAL_MAD = 0.6744897501960817
PATCH = 7
CONFIDENCE = 0.99
ITERATIONS = 10
MAX_PATCHES = 1 << 14  # as core's WeakTexturePca: on larger images a stride thins the patch grid
MIN_PATCHES_PER_DIMENSION = 4
SETS = ("heldout", "validation")


def mad_hh(img):
    hh = pywt.dwtn(img, "db2")["dd"]
    return np.median(np.abs(hh)) / NORMAL_MAD


def haar_details(img):
    """|HH| and LH^2 + HL^2 of every 2 x 2 block free of NaN pixels (core's WeakTextureHaar)."""
    a, b, c, d = img[:-1, :-1], img[:-1, 1:], img[1:, :-1], img[1:, 1:]
    hh = (a - b - c + d) / 2
    known = np.isfinite(hh)
    return np.abs(hh[known]), (((a + b - c - d) / 2) ** 2 + ((a - b + c - d) / 2) ** 2)[known]


def haar_hh(img):
    """median |HH| / 0.6745 over all known 2 x 2 blocks: the plain Haar wavelet estimate."""
    return np.median(haar_details(img)[0]) / NORMAL_MAD


def weak_haar(keep=0.5, min_blocks=16, iterations=30):
    """core's WeakTextureHaar: HH's median over the blocks whose gradient energy is below the share `keep` of
    noise's (chi-square, 2 degrees of freedom), iterated from all blocks until it settles."""
    def estimate(img):
        hh, gradient = haar_details(img)
        sigma = np.median(hh) / NORMAL_MAD
        for _ in range(iterations):
            kept = hh[gradient <= -2 * np.log(1 - keep) * sigma * sigma]
            if kept.size < min_blocks:
                break
            following = np.median(kept) / NORMAL_MAD
            if following == sigma:
                break
            sigma = following
        return sigma
    return estimate


def stride_for(img, size):
    n = (img.shape[0] - size + 1) * (img.shape[1] - size + 1)
    return max(1, int(np.ceil(np.sqrt(n / MAX_PATCHES))))


def patches(img, size=PATCH):
    from numpy.lib.stride_tricks import sliding_window_view
    k = stride_for(img, size)
    p = sliding_window_view(img, (size, size))[::k, ::k]
    return p.reshape(-1, size * size)


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


def texture(img, size=PATCH):
    """Per patch (on the same grid as patches()): the sum of squared horizontal and vertical differences inside it."""
    from numpy.lib.stride_tricks import sliding_window_view
    k = stride_for(img, size)
    p = sliding_window_view(img, (size, size))[::k, ::k]
    return ((np.diff(p, axis=3) ** 2).sum(axis=(2, 3)) + (np.diff(p, axis=2) ** 2).sum(axis=(2, 3))).reshape(-1)


def pca_wt(img, variance=min_eig, size=PATCH, confidence=CONFIDENCE):
    """Liu, Tanaka, Okutomi 2013: weak-texture patches selected by the gradient-energy threshold of the current
    estimate, iterated; NaN when fewer than MIN_PATCHES_PER_DIMENSION patches per dimension fit."""
    return pca_wt_run(img, variance, size, confidence)[0]


def pca_wt_run(img, variance, size, confidence, selection="gradient"):
    """pca_wt's estimate and whether its iteration stopped for lack of patches (the selection shrank below
    MIN_PATCHES_PER_DIMENSION per dimension: the estimate was still falling). selection: which patches count as
    weak, by their gradient energy (Liu et al.), their curvature, or both; by the gradient energy of their 2 x 2
    averages, or that and their own; with the gradient threshold measured instead of Liu's ("measured..."); with
    detrended energies ("detrended...")."""
    n = size * size
    if min(img.shape) < size:
        return np.nan, True
    rows = patches(img, size)
    if len(rows) < MIN_PATCHES_PER_DIMENSION * n:
        return np.nan, True
    tests = []
    if selection in ("gradient", "both"):
        tests.append((texture(img, size), selection_quantile(size, confidence)))
    if selection in ("curvature", "both"):
        tests.append((curvature(img, size), curvature_quantile(size, confidence)))
    if selection in ("smooth", "smooth-both"):
        tests.append((smooth_texture(img, size), smooth_quantile(size, confidence)))
    if selection == "smooth-both":
        tests.append((texture(img, size), selection_quantile(size, confidence)))
    if selection in ("measured", "measured-smooth-both"):
        tests.append((texture(img, size), measured_selection_quantile(size, confidence)))
    if selection == "measured-smooth-both":
        tests.append((smooth_texture(img, size), smooth_quantile(size, confidence)))
    if selection in ("detrended", "detrended-both"):
        tests.append((detrended_texture(img, size), detrended_quantile(size, confidence)))
    if selection == "detrended-both":
        tests.append((detrended_texture(img, size, True), detrended_quantile(size, confidence, True)))
    if selection == "detrended-smooth":
        tests.append((detrended_texture(img, size), detrended_quantile(size, confidence)))
        tests.append((smooth_texture(img, size), smooth_quantile(size, confidence)))
    var = variance(rows)
    for _ in range(ITERATIONS):
        weak = np.logical_and.reduce([strength < var * unit for strength, unit in tests])
        if weak.sum() < MIN_PATCHES_PER_DIMENSION * n:
            return np.sqrt(var), True
        new = variance(rows[weak])
        if abs(new - var) <= 1e-4 * var:
            var = new
            break
        var = new
    return np.sqrt(var), False


def selection_quantile(size, confidence):
    """The confidence quantile of the gradient energy of a pure-noise size x size patch, in units of sigma^2."""
    n = size * size
    # tr(Dh^T Dh + Dv^T Dv) for the in-patch difference operators: 2 * size * (size - 1) differences of two
    # pixels each, each contributing 2 to the trace
    trace = 2 * 2 * size * (size - 1)
    return gamma.ppf(confidence, a=n / 2, scale=2.0 * trace / n)


_NOISE_QUANTILE = {}


def noise_quantile(name, energy, confidence):
    """The confidence quantile of a per-patch energy (energy(plane) -> one value per patch) of pure unit noise,
    measured over the patches of 40 520 x 520 planes (seed 6); cached under name."""
    key = (name, confidence)
    if key not in _NOISE_QUANTILE:
        rng = np.random.default_rng(6)
        e = np.concatenate([energy(rng.standard_normal((520, 520))) for _ in range(40)])
        _NOISE_QUANTILE[key] = float(np.quantile(e, confidence))
    return _NOISE_QUANTILE[key]


def measured_selection_quantile(size, confidence):
    """noise_quantile() of texture(): Liu et al.'s gamma approximation (selection_quantile) is noise's 97.6-97.7%
    quantile at confidence 0.99."""
    return noise_quantile(("texture", size), lambda x: texture(x, size), confidence)


_TRUNCATION = {}


def truncation_ratio(size, confidence):
    """Chen's trailing mean of the patches of unit Gaussian noise that the selection keeps at the true sigma: the
    factor by which the selection lowers the variance of pure noise (four 520 x 520 planes, seed 3)."""
    key = (size, confidence)
    if key not in _TRUNCATION:
        rng = np.random.default_rng(3)
        ratios = []
        for _ in range(4):
            x = rng.standard_normal((520, 520))
            ratios.append(trailing_mean(patches(x, size)[texture(x, size) < selection_quantile(size, confidence)]))
        _TRUNCATION[key] = float(np.mean(ratios))
    return _TRUNCATION[key]


def curvature(img, size):
    """Per patch (the grid of patches()): the sum of squared horizontal and vertical second differences inside it,
    which is 0 on any affine patch (a ramp), so smooth shading is not read as texture."""
    from numpy.lib.stride_tricks import sliding_window_view
    k = stride_for(img, size)
    p = sliding_window_view(img, (size, size))[::k, ::k]
    return ((np.diff(p, 2, axis=3) ** 2).sum(axis=(2, 3)) + (np.diff(p, 2, axis=2) ** 2).sum(axis=(2, 3))).reshape(-1)


_CURVATURE_QUANTILE = {}


def curvature_quantile(size, confidence):
    """The confidence quantile of curvature() of a pure unit-noise size x size patch, measured (one million patches,
    seed 5): unlike the gradient energy's, its distribution has no simple closed form here."""
    key = (size, confidence)
    if key not in _CURVATURE_QUANTILE:
        rng = np.random.default_rng(5)
        p = rng.standard_normal((1000000, size, size))
        e = (np.diff(p, 2, axis=2) ** 2).sum(axis=(1, 2)) + (np.diff(p, 2, axis=1) ** 2).sum(axis=(1, 2))
        _CURVATURE_QUANTILE[key] = float(np.quantile(e, confidence))
    return _CURVATURE_QUANTILE[key]


def smooth_texture(img, size):
    """Per patch (the grid of patches()): the gradient energy of the 2 x 2 box average of its pixels, which keeps
    texture coarser than a pixel and a quarter of the noise, so that noise does not mask texture in the selection."""
    from numpy.lib.stride_tricks import sliding_window_view
    k = stride_for(img, size)
    b = (img[:-1, :-1] + img[1:, :-1] + img[:-1, 1:] + img[1:, 1:]) / 4
    p = sliding_window_view(b, (size - 1, size - 1))[::k, ::k]
    return ((np.diff(p, axis=3) ** 2).sum(axis=(2, 3)) + (np.diff(p, axis=2) ** 2).sum(axis=(2, 3))).reshape(-1)


def smooth_quantile(size, confidence):
    """noise_quantile() of smooth_texture()."""
    return noise_quantile(("smooth", size), lambda x: smooth_texture(x, size), confidence)


def detrended_texture(img, size, smoothed=False):
    """texture() (or smooth_texture()) less what the patch's mean gradient explains: the energy of the in-patch
    differences about their mean, horizontal and vertical, which is 0 on a ramp (the ramp lies in two principal
    directions that the covariance's smallest eigenvalues ignore anyway)."""
    from numpy.lib.stride_tricks import sliding_window_view
    k = stride_for(img, size)
    if smoothed:
        img = (img[:-1, :-1] + img[1:, :-1] + img[:-1, 1:] + img[1:, 1:]) / 4
        size -= 1
    p = sliding_window_view(img, (size, size))[::k, ::k]
    dh = np.diff(p, axis=3)
    dv = np.diff(p, axis=2)
    dh = dh - dh.mean(axis=(2, 3), keepdims=True)
    dv = dv - dv.mean(axis=(2, 3), keepdims=True)
    return ((dh ** 2).sum(axis=(2, 3)) + (dv ** 2).sum(axis=(2, 3))).reshape(-1)


def detrended_quantile(size, confidence, smoothed=False):
    """noise_quantile() of detrended_texture()."""
    return noise_quantile(("detrended", size, smoothed), lambda x: detrended_texture(x, size, smoothed), confidence)


def least_selected(sizes, selection, confidence=CONFIDENCE):
    """least() with the weak patches selected otherwise: "curvature", "both" (curvature and gradient energy),
    "smooth" (gradient energy of the 2 x 2 averages) or "smooth-both" (that and the gradient energy)."""
    def estimate(img):
        runs = [r[0] for r in (pca_wt_run(img, trailing_mean, s, confidence, selection) for s in sizes)
                if not np.isnan(r[0])]
        return min(runs) if runs else mad_hh(img)
    return estimate


def smooth_settled(sizes, confidence=CONFIDENCE):
    """Per size, the smooth-both selection's estimate where its iteration settled, else the gradient selection's;
    the least over the sizes (not shipped)."""
    def estimate(img):
        runs = []
        for s in sizes:
            v, stopped = pca_wt_run(img, trailing_mean, s, confidence, "smooth-both")
            if stopped or np.isnan(v):
                v = pca_wt_run(img, trailing_mean, s, confidence)[0]
            if not np.isnan(v):
                runs.append(v)
        return min(runs) if runs else mad_hh(img)
    return estimate


def least(sizes, confidence=CONFIDENCE, corrected=False, settled=False):
    """The least of pca-wt-chen over several patch sizes (with 4, 5, 7 yax's --sigma auto 2026-12-03 to 05); corrected: each size's
    variance divided by truncation_ratio inside the iteration; settled: the least of the sizes whose iteration did
    not stop for lack of patches, where there is one."""
    def size_estimate(img, s):
        ratio = truncation_ratio(s, confidence) if corrected else 1.0
        return pca_wt_run(img, lambda rows: trailing_mean(rows) / ratio, s, confidence)

    def estimate(img):
        runs = [r for r in (size_estimate(img, s) for s in sizes) if not np.isnan(r[0])]
        if not runs:
            return mad_hh(img)
        kept = [v for v, stopped in runs if not stopped] if settled else []
        return min(kept or [v for v, _ in runs])
    return estimate


def dct_matrix(n):
    k = np.arange(n)[:, None]
    m = np.cos(np.pi * (2 * np.arange(n)[None, :] + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    m[0] /= np.sqrt(2.0)
    return m


def zoran_weiss(size=8, max_patches=1 << 16):
    """Zoran & Weiss 2009: natural images keep one kurtosis across band-pass filters, added Gaussian noise dilutes
    it by ((var_k - sigma^2) / var_k)^2 in filter k. The responses of the size x size DCT's AC filters at every
    patch (grid thinned to max_patches); sigma^2 is the value whose predicted sqrt(excess kurtosis) fits the
    measured ones best (one common clean kurtosis, least squares), searched on a grid below the least variance."""
    d = dct_matrix(size)

    def estimate(img):
        h, w = img.shape
        stride = 1
        while ((h - size) // stride + 1) * ((w - size) // stride + 1) > max_patches:
            stride += 1
        win = np.lib.stride_tricks.sliding_window_view(img, (size, size))[::stride, ::stride]
        c = np.einsum("ij,abjk,lk->abil", d, win, d, optimize=True).reshape(-1, size * size)[:, 1:]
        c = c - c.mean(axis=0)
        var = (c ** 2).mean(axis=0)
        keep = var > 0
        if keep.sum() < 4:
            return 0.0
        var = var[keep]
        excess = np.clip((c[:, keep] ** 4).mean(axis=0) / var ** 2 - 3, 0, None)
        root = np.sqrt(excess)
        best, best_resid = 0.0, None
        for s2 in np.linspace(0, var.min() * 0.999, 500):
            r = (var - s2) / var
            a = (root * r).sum() / (r * r).sum()
            resid = ((root - a * r) ** 2).sum()
            if best_resid is None or resid < best_resid:
                best, best_resid = s2, resid
        return float(np.sqrt(best))
    return estimate


def cnn(path, quantile=50):
    """The TorchScript noise map of scripts/train-noise-cnn.py: the median (or a lower quantile) of the means of its
    maps of the 64 x 64 tiles (stride 32; a plane under 64 pixels a side is one tile), each tile on its own."""
    cache = {}

    def estimate(img):
        import torch
        if "net" not in cache:
            torch.set_num_threads(os.cpu_count())
            cache["net"] = torch.jit.load(path)
        h, w = img.shape
        t = 64
        # each tile through the network on its own, as in training (the network removes the tile's mean)
        tiles = [img] if h < t or w < t else [img[y:y + t, x:x + t] for y in range(0, h - t + 1, 32)
                                                for x in range(0, w - t + 1, 32)]
        with torch.no_grad():
            means = [float(cache["net"](torch.from_numpy(np.ascontiguousarray(c, np.float32))[None, None]).mean())
                     for c in tiles]
        return float(np.percentile(means, quantile))
    return estimate


def weak_texture_least(img):
    """The least of the six weak-texture PCA estimates of yax's --sigma auto (sizes 4, 5, 7; the gradient selection
    and the smooth-both one), NaN where no size fits the plane."""
    runs = [v for sel in ("gradient", "smooth-both") for v in
            (pca_wt_run(img, trailing_mean, s, CONFIDENCE, sel)[0] for s in (4, 5, 7)) if not np.isnan(v)]
    return min(runs) if runs else np.nan


def least_smooth_both(img):
    """The least of least-4-5-7 and smooth-both-4-5-7 (yax's --sigma auto since 2026-12-05); the wavelet
    estimate where no patch size fits."""
    v = weak_texture_least(img)
    return mad_hh(img) if np.isnan(v) else v


def scale_consistent(img):
    """White noise halves under 2 x 2 averaging, while the texture a natural image shows at the pixel scale keeps
    its size across scales (power spectrum ~ 1/f^2): with a^2 = n^2 + t^2 on the plane and b^2 = n^2 / 4 + t^2 on
    its 2 x 2 area average, n^2 = 4 (a^2 - b^2) / 3. b is the least over the four phases of the averaging grid
    (the smallest correction any of them supports); the estimate is the lesser of a and n. Where no patch size fits
    the averages, a."""
    a = least_smooth_both(img)
    coarse = [weak_texture_least(area(img[i:, j:], 2)) for i in (0, 1) for j in (0, 1)]
    coarse = [b for b in coarse if not np.isnan(b)]
    if not coarse:
        return a
    b = min(coarse)
    return min(a, np.sqrt(max(4 * (a * a - b * b) / 3, 0.0)))


def collapse_vote(img):
    """least-smooth-both, but 0 where at least half of its six runs ran out of patches (the estimate was still
    falling when fewer than MIN_PATCHES_PER_DIMENSION per dimension were left: no noise level that the weak patches
    support)."""
    runs = [pca_wt_run(img, trailing_mean, s, CONFIDENCE, sel) for sel in ("gradient", "smooth-both")
            for s in (4, 5, 7)]
    runs = [(v, stopped) for v, stopped in runs if not np.isnan(v)]
    if not runs:
        return mad_hh(img)
    if 2 * sum(stopped for _, stopped in runs) >= len(runs):
        return 0.0
    return min(v for v, _ in runs)


def calibrated(base, draws=4):
    """base divided by its own mean reading of unit Gaussian noise planes of the same shape (seeded by the shape):
    what the selection, the eigenvalue rule and the least of six do to pure noise of that size, divided out."""
    units = {}

    def estimate(img):
        if img.shape not in units:
            rng = np.random.default_rng(img.shape[0] * 100003 + img.shape[1])
            units[img.shape] = np.mean([base(rng.standard_normal(img.shape)) for _ in range(draws)])
        return base(img) / units[img.shape]
    return estimate


ESTIMATORS = {"mad-hh": mad_hh,
              "zw-8": zoran_weiss(8),
              "zw-4": zoran_weiss(4),
              "least-zw-8": lambda img: min(least((4, 5, 7))(img), zoran_weiss(8)(img)),
              "pca-wt": pca_wt,
              "pca-wt-chen": lambda img: pca_wt(img, trailing_mean),
              "pca-wt-chen-5": lambda img: pca_wt(img, trailing_mean, 5),
              "pca-wt-chen-4": lambda img: pca_wt(img, trailing_mean, 4),
              "least-4-5-7": least((4, 5, 7)),
              "least-4-5-7-c90": least((4, 5, 7), 0.90),
              "least-9": least((9,)),
              "least-11": least((11,)),
              "least-4-5-7-9": least((4, 5, 7, 9)),
              "least-4-5-7-9-11": least((4, 5, 7, 9, 11)),
              "least-4-5-7-c90-corrected": least((4, 5, 7), 0.90, corrected=True),
              "least-4-5-7-c99-corrected": least((4, 5, 7), 0.99, corrected=True),
              "settled-4-5-7": least((4, 5, 7), settled=True),
              "settled-4-5-7-9": least((4, 5, 7, 9), settled=True),
              "settled-4-5-7-c90-corrected": least((4, 5, 7), 0.90, corrected=True, settled=True),
              "curv-4-5-7": least_selected((4, 5, 7), "curvature"),
              "curv-both-4-5-7": least_selected((4, 5, 7), "both"),
              "smooth-4-5-7": least_selected((4, 5, 7), "smooth"),
              "smooth-both-4-5-7": least_selected((4, 5, 7), "smooth-both"),
              "least-smooth-both": least_smooth_both,
              "scale-consistent": scale_consistent,
              "detrended-4-5-7": least_selected((4, 5, 7), "detrended"),
              "least-detrended-both": lambda img: min(least_selected((4, 5, 7), "detrended")(img),
                                                      least_selected((4, 5, 7), "detrended-both")(img)),
              "least-detrended-smooth": lambda img: min(least_selected((4, 5, 7), "detrended")(img),
                                                        least_selected((4, 5, 7), "detrended-smooth")(img)),
              "collapse-vote": collapse_vote,
              "least-smooth-both-measured": lambda img: min(least_selected((4, 5, 7), "measured")(img),
                                                            least_selected((4, 5, 7), "measured-smooth-both")(img)),
              "least-smooth-both-calibrated": calibrated(least_smooth_both),
              "smooth-settled-4-5-7": smooth_settled((4, 5, 7)),
              # NaN-aware: for planes with missing pixels (--missing)
              "haar-hh": haar_hh,
              "weak-haar": weak_haar(),
              "weak-haar-keep25": weak_haar(0.25),
              "weak-haar-keep99": weak_haar(0.99),
              "least-smooth-both-weak-haar": lambda img: min(least_smooth_both(img), weak_haar()(img))}
if os.environ.get("YAX_NOISE_CNN"):
    # only with a trained network (scripts/train-noise-cnn.py), which nothing ships
    ESTIMATORS["cnn"] = cnn(os.environ["YAX_NOISE_CNN"])
    ESTIMATORS["cnn-q25"] = cnn(os.environ["YAX_NOISE_CNN"], 25)


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
    for folder in SETS + (("training/natural", "training/mri") if TRAINING else ()):
        d = os.path.join(data, folder)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name != "phantom.png":
                    out.append((folder + "/" + name, grey(os.path.join(d, name))))
    landsat = os.path.join(data, "archive/raster/L7_ETMs.tif")
    if os.path.exists(landsat):
        bands = io.imread(landsat).astype(np.float64)
        bands = bands if bands.shape[0] == 6 else np.moveaxis(bands, -1, 0)
        half = bands.shape[1] // 2
        # the sets' crops (scripts/eval-models.sh): held-out bands 1-3 north, validation bands 4-6 south
        if "heldout" in SETS:
            for b in range(3):
                out.append(("heldout/L7_ETMs band %d north" % (b + 1), bands[b, :half]))
        if "validation" in SETS:
            for b in range(3, 6):
                out.append(("validation/L7_ETMs band %d south" % (b + 1), bands[b, half:2 * half]))
    return out


def main():
    global TRAINING, SETS
    args = sys.argv[1:]
    TRAINING = "--training" in args
    SETS = option(args, "--set", SETS, lambda v: (v,))
    wanted = option(args, "--estimators", None, lambda v: v.split(","))
    for name in list(ESTIMATORS):
        if wanted is not None and name not in wanted:
            del ESTIMATORS[name]
    seed = option(args, "--seed", 0, int)
    # a Gaussian blur of this standard deviation (pixels) before the noise: what a deblurring input looks like
    blur = option(args, "--blur", 0.0, float)
    sigmas = option(args, "--sigmas", [5, 15, 25, 50], lambda v: [float(x) for x in v.split(",")])
    # this share of pixels NaN (missing), drawn per plane: what an inpainting input looks like; only the
    # NaN-aware estimators (haar-hh, weak-haar*) read such planes
    missing = option(args, "--missing", 0.0, float)
    args = [a for a in args if a != "--training"]
    data = args[0] if args else "sample-data/data"
    names = list(ESTIMATORS)
    print("| image | size | " + " | ".join("%s clean %% | %s worst error %%" % (n, n) for n in names) + " |")
    print("|---|---|" + "---|---|" * len(names))
    worst_clean = {n: 0.0 for n in names}
    worst_noisy = {n: 0.0 for n in names}
    misses_clean = {n: 0 for n in names}
    misses_noisy = {n: 0 for n in names}
    planes = 0
    rng = np.random.default_rng(seed)
    for label, img in images(data):
        for f in (1, 2, 4):
            x = area(img, f) if f > 1 else img
            lo, hi = x.min(), x.max()
            if hi <= lo or min(x.shape) < 32:
                continue
            x = (x - lo) / (hi - lo)
            if blur:
                from scipy.ndimage import gaussian_filter
                x = gaussian_filter(x, blur)
            noise = rng.standard_normal(x.shape)
            if missing:
                noise[rng.random(x.shape) < missing] = np.nan  # NaN in every noisy plane, and below in the clean
                x = np.where(np.isnan(noise), np.nan, x)
            planes += 1
            cells = []
            for n in names:
                est = ESTIMATORS[n]
                clean = est(x) * 100
                err = max(abs(est(x + s / 255 * noise) / (s / 255) - 1) for s in sigmas) * 100
                worst_clean[n] = max(worst_clean[n], clean)
                worst_noisy[n] = max(worst_noisy[n], err)
                misses_clean[n] += clean >= 0.5
                misses_noisy[n] += err > 10
                cells.append("%.2f | %.1f" % (clean, err))
            print("| %s%s | %dx%d | %s |" % (label, "" if f == 1 else " /%d" % f, x.shape[1], x.shape[0],
                                            " | ".join(cells)), flush=True)
    print()
    print("| estimator | largest clean estimate (% of range) | largest relative error, noise "
          + ",".join("%g" % v for v in sigmas) + "/255 (%) | clean >= 0.5% | error > 10% |")
    print("|---|---|---|---|---|")
    for n in names:
        print("| %s | %.2f | %.1f | %d of %d | %d of %d |" % (n, worst_clean[n], worst_noisy[n], misses_clean[n],
                                                           planes, misses_noisy[n], planes))


if __name__ == "__main__":
    main()
