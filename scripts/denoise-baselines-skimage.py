#!/usr/bin/python3
"""scikit-image's non-local means next to `yax eval --task denoise --methods noisy,tv,nlm` (docs/BENCHMARKS.md).

Same definitions as yax eval: sigma is a share of the clean image's max - min, PSNR uses that data range.
Same parameters as yax's nlm: denoise_nl_means(fast_mode=True, patch_size=5, patch_distance=6, h=0.8 sigma,
sigma=sigma) on float32 pixels in the image's own units. The noise is numpy's (seed 0), not yax's, so PSNRs
differ from yax's by the noise realisation only. An RGB file with R = G = B is read as its first band.

    /usr/bin/python3 scripts/denoise-baselines-skimage.py IMAGE... [--sigmas 15,25,50]   # sigmas in /255
"""
import argparse
import time

import numpy as np
import skimage
from skimage import io
from skimage.metrics import peak_signal_noise_ratio as psnr
from skimage.restoration import denoise_nl_means

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("images", nargs="+")
parser.add_argument("--sigmas", default="15,25,50", help="noise sigmas in 1/255 of the data range")
args = parser.parse_args()

print("scikit-image %s, numpy %s" % (skimage.__version__, np.__version__))
print("%-22s %7s %9s %9s %8s" % ("image", "sigma", "noisy", "sk-nlm", "time(s)"))
rng = np.random.default_rng(0)
for frac in [float(s) / 255 for s in args.sigmas.split(",")]:
    for path in args.images:
        x = io.imread(path)
        if x.ndim == 3:
            x = x[..., 0]
        x = x.astype(np.float32)
        data_range = float(x.max() - x.min())
        sigma = frac * data_range
        y = (x + sigma * rng.standard_normal(x.shape)).astype(np.float32)
        t0 = time.perf_counter()
        z = denoise_nl_means(y, patch_size=5, patch_distance=6, h=0.8 * sigma, sigma=sigma, fast_mode=True)
        seconds = time.perf_counter() - t0
        print("%-22s %6.2f%% %9.2f %9.2f %8.3f" % (path.split("/")[-1], 100 * frac,
                                                 psnr(x, y, data_range=data_range),
                                                 psnr(x, z, data_range=data_range), seconds))
