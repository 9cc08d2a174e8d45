#!/usr/bin/python3
"""Super-resolution as a user runs it: `yax reconstruct --task sr --scale 2` with every option at its default
(`--method auto`, `--sigma auto`) against bicubic interpolation, on one image set.

Usage: /usr/bin/python3 scripts/eval-sr-as-run.py heldout|validation [--yax PATH[,PATH...]] [--noise PCT]
                                                  [--methods auto,network,pnp,tv] [--scale N]

`yax eval` told each method the true noise level, 0 for these clean images, until `--estimate-sigma` (which
scripts/eval-models.sh and so the card's `auto` rule now use); a user's run estimates it from the low-resolution
input. This script stays as the cross-check through files on disk, as a user runs it. For each image of the set (the
Landsat crops as scripts/eval-models.sh takes them), this area-downsamples it by 2 into a float32 GeoTIFF, runs
`yax reconstruct` on all of them with --sigma auto and with --sigma 0 (each PATH given: a build to compare, default
./yax), and prints PSNR against the image (over its range, as yax eval) beside yax eval's bicubic (of the clean
input). --noise PCT adds Gaussian noise of PCT% of each image's range to the low-resolution input (seed 5);
--methods runs each method named (default: auto only) with --sigma auto, and auto also with --sigma 0; --scale N
(default 2) downsamples and super-resolves by N instead. Needs Debian's
python3-gdal, python3-skimage and python3-pydicom (scripts/setup.sh installs them).
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from osgeo import gdal
from skimage import io

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_support import option  # noqa: E402

DATA = "sample-data/data"
LANDSAT = {"heldout": (slice(0, 1), (1, 2, 3)), "validation": (slice(1, 2), (4, 5, 6))}


def images(name):
    """(name, array) of the set's images: grey or colour as stored (DICOM as its pixel values), the Landsat crops."""
    import pydicom
    folder = os.path.join(DATA, name)
    for f in sorted(os.listdir(folder)):
        if f == "phantom.png":
            continue
        p = os.path.join(folder, f)
        if f.endswith(".dcm"):
            a = pydicom.dcmread(p).pixel_array.astype(float)
        elif f.endswith(".tif"):
            a = gdal.Open(p).ReadAsArray().astype(float)
        else:
            a = io.imread(p).astype(float)
        if a.ndim == 3 and a.shape[2] == 4:
            a = a[..., :3]
        yield os.path.splitext(f)[0], a
    half, bands = LANDSAT[name]
    scene = gdal.Open(os.path.join(DATA, "archive/raster/L7_ETMs.tif"))
    rows = scene.RasterYSize // 2
    for b in bands:
        a = scene.GetRasterBand(b).ReadAsArray().astype(float)
        yield "L7_ETMs_band%d" % b, a[half.start * rows:(half.start + 1) * rows]


def save(path, a):
    a = np.atleast_3d(a).astype(np.float32)
    d = gdal.GetDriverByName("GTiff").Create(path, a.shape[1], a.shape[0], a.shape[2], gdal.GDT_Float32)
    for b in range(a.shape[2]):
        d.GetRasterBand(b + 1).WriteArray(a[:, :, b])
    d = None


def area(a, f):
    h, w = a.shape[0] // f * f, a.shape[1] // f * f
    a = a[:h, :w]
    return a.reshape(h // f, f, w // f, f, *a.shape[2:]).mean(axis=(1, 3))


def psnr(path, ref):
    out = gdal.Open(path).ReadAsArray().astype(float)
    out = np.moveaxis(out, 0, -1) if out.ndim == 3 else out
    ref = ref[:out.shape[0], :out.shape[1]]
    r = ref.max() - ref.min()
    return 10 * np.log10(r * r / np.mean((out - ref) ** 2))


def main():
    args = sys.argv[1:]
    yaxes = option(args, "--yax", ["./yax"], lambda v: v.split(","))
    methods = option(args, "--methods", ["auto"], lambda v: v.split(","))
    scale = option(args, "--scale", 2, int)
    noise = option(args, "--noise", 0.0, float) / 100
    if len(args) != 1 or args[0] not in LANDSAT:
        sys.exit(__doc__)
    work = tempfile.mkdtemp(prefix="yax-sr-as-run-")
    refs = {}
    rng = np.random.default_rng(5)
    for name, a in images(args[0]):
        refs[name] = a
        low = area(a, scale)
        save(os.path.join(work, name + ".tif"), a)
        save(os.path.join(work, name + "_half.tif"), low + noise * (a.max() - a.min()) * rng.standard_normal(low.shape))
    halves = [os.path.join(work, n + "_half.tif") for n in refs]
    ev = subprocess.run([yaxes[0], "eval", *[os.path.join(work, n + ".tif") for n in refs], "--task", "sr",
                         "--scale", str(scale), "--methods", "bicubic"], capture_output=True, text=True, check=True).stdout
    bicubic = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\S+)\.tif\s+bicubic\s+([\d.]+)", ev, re.M)}
    columns = []
    runs = [(m, "auto") for m in methods] + ([("auto", "0")] if "auto" in methods else [])
    for k, yax in enumerate(yaxes):
        for method, sigma in runs:
            out = os.path.join(work, "out-%d-%s-%s" % (k, method, sigma))
            subprocess.run([yax, "reconstruct", *halves, "-o", out, "--task", "sr", "--scale", str(scale), "--sigma", sigma,
                            "--method", method], capture_output=True, check=True)
            columns.append(("%s%s sigma %s" % (yax + " " if len(yaxes) > 1 else "", method, sigma), out))
    print("| image | bicubic | " + " | ".join(c for c, _ in columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for name, ref in refs.items():
        cells = ["%.2f" % psnr(os.path.join(out, name + "_half.tif"), ref) for _, out in columns]
        print("| %s | %.2f | %s |" % (name, bicubic[name], " | ".join(cells)))


if __name__ == "__main__":
    main()
