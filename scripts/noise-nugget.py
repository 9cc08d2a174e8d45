#!/usr/bin/python3
"""How much of a clean plane's fine structure is white (issue #18 point 3: why some clean planes read as noisy).

Usage: /usr/bin/python3 scripts/noise-nugget.py [--set heldout|validation] [--training] [DATA_DIR]
           (default: both sets, sample-data/data; the images and crops of scripts/noise-estimators.py)

For each image (grey, scaled to [0, 1] by its own range) at full resolution and area-downsampled by 2, prints:
  - yax's noise estimate (least-smooth-both-weak-haar of scripts/noise-estimators.py, the Python twin of core's
    NoiseEstimator), in % of the range;
  - the semivariogram of its flattest 30% (gradient energy of the 5 x 5 means, averaged over 9 x 9, below its 30%
    quantile): half the mean squared difference of pixels k = 1, 2, 3 apart, horizontal and vertical together, as
    a standard deviation in % of the range, and the ratio of lag 2 to lag 1 (white noise: 1; structure correlated
    over many pixels: up to 2);
  - the white share ("nugget") of that semivariogram over lags 1-6 under the two textbook covariance models,
    exponential and Gaussian: noise^2 + s^2 (1 - exp(-k / l)) and noise^2 + s^2 (1 - exp(-(k / l)^2)), least
    squares, as a standard deviation in % of the range;
  - the excess kurtosis of the diagonal Haar details (a - b - c + d) / 2 of the 2 x 2 blocks in the flattest 30% by
    their gradient energy (white Gaussian noise: 0): where the fine structure is Gaussian too, statistics beyond
    the second order cannot split it from noise either.

Sampled on the pixel grid, white noise and structure finer than a pixel add the same constant to every lag (the
nugget effect of geostatistics); only a model of the structure's correlation splits them, and where the two models
disagree the data does not decide.
"""
import os
import sys

import numpy as np
from scipy.ndimage import uniform_filter
from scipy.optimize import curve_fit
from scipy.stats import kurtosis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_support import noise_estimators, option  # noqa: E402

LAGS = np.arange(1, 7)


def semivariogram(plane):
    """Half the mean squared difference of pixels k apart (k in LAGS) within the flattest 30% of the plane."""
    gy, gx = np.gradient(uniform_filter(plane, 5))
    energy = uniform_filter(gx ** 2 + gy ** 2, 9)
    flat = energy < np.quantile(energy, 0.3)
    out = []
    for k in LAGS:
        h = (plane[:, k:] - plane[:, :-k])[flat[:, k:] & flat[:, :-k]]
        v = (plane[k:] - plane[:-k])[flat[k:] & flat[:-k]]
        out.append((np.mean(h ** 2) + np.mean(v ** 2)) / 4)
    return np.array(out)


def haar_kurtosis(plane):
    """Excess kurtosis of the 2 x 2 blocks' diagonal Haar details where their gradient energy is in its lowest 30%."""
    h, w = plane.shape[0] // 2 * 2, plane.shape[1] // 2 * 2
    a, b, c, d = plane[0:h:2, 0:w:2], plane[0:h:2, 1:w:2], plane[1:h:2, 0:w:2], plane[1:h:2, 1:w:2]
    diagonal = (a - b - c + d) / 2
    energy = ((a + b - c - d) / 2) ** 2 + ((a - b + c - d) / 2) ** 2
    flat = diagonal[energy < np.quantile(energy, 0.3)]
    return kurtosis(flat) if flat.size > 3 and flat.std() > 0 else float("nan")


def exponential(k, nugget, sill, length):
    return nugget + sill * (1 - np.exp(-k / length))


def gaussian(k, nugget, sill, length):
    return nugget + sill * (1 - np.exp(-(k / length) ** 2))


def nugget(gamma, model):
    """The fitted white variance's standard deviation, or NaN where the fit fails."""
    try:
        p, _ = curve_fit(model, LAGS, gamma, p0=(gamma[0] / 2, gamma[-1], 1.5),
                         bounds=([0, 0, 0.05], [np.inf, np.inf, 50]))
        return np.sqrt(p[0])
    except (RuntimeError, ValueError):
        return float("nan")


def main():
    ne = noise_estimators()
    args = sys.argv[1:]
    ne.TRAINING = "--training" in args
    ne.SETS = option(args, "--set", ne.SETS, lambda v: (v,))
    args = [a for a in args if a != "--training"]
    data = args[0] if args else "sample-data/data"
    estimate = ne.ESTIMATORS["least-smooth-both-weak-haar"]
    print("| image | size | estimate % | lag 1 % | lag 2 % | lag 3 % | lag 2 / lag 1 | nugget, exponential % "
          "| nugget, Gaussian % | Haar kurtosis |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, img in ne.images(data):
        for f in (1, 2):
            x = ne.area(img, f) if f > 1 else img
            lo, hi = x.min(), x.max()
            if hi <= lo or min(x.shape) < 32:
                continue
            x = (x - lo) / (hi - lo)
            gamma = semivariogram(x)
            lag = 100 * np.sqrt(gamma)
            print("| %s%s | %dx%d | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
                label, "" if f == 1 else " /2", x.shape[1], x.shape[0], 100 * estimate(x), lag[0], lag[1], lag[2],
                lag[1] / lag[0], 100 * nugget(gamma, exponential), 100 * nugget(gamma, gaussian), haar_kurtosis(x)),
                flush=True)


if __name__ == "__main__":
    main()
