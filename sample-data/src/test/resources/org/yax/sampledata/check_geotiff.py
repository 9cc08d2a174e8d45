"""Independent check of the generated GeoTIFFs with gdalinfo -json and python3-gdal: prints key=value lines.

usage: check_geotiff.py <noisy.tif> <ground-truth.tif> <java ground truth .raw (float32 LE, band,y,x)> <nodata>
"""
import json
import subprocess
import sys

import numpy as np
from osgeo import gdal

noisy_path, clean_path, raw, nodata = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

for name, path in (("clean", clean_path), ("noisy", noisy_path)):
    info = json.loads(subprocess.run(["gdalinfo", "-json", path], check=True, capture_output=True, text=True).stdout)
    print("%s.driver=%s" % (name, info["driverShortName"]))
    print("%s.size=%dx%d" % (name, info["size"][0], info["size"][1]))
    print("%s.bands=%d" % (name, len(info["bands"])))
    print("%s.geoTransform=%s" % (name, ",".join(repr(v) for v in info["geoTransform"])))
    wkt = info["coordinateSystem"]["wkt"]
    print("%s.epsg32633=%s" % (name, 'ID["EPSG",32633]' in wkt))
    print("%s.types=%s" % (name, ",".join(sorted({b["type"] for b in info["bands"]}))))
    print("%s.nodata=%s" % (name, ",".join(sorted({repr(float(b["noDataValue"])) for b in info["bands"]}))))
    print("%s.descriptions=%s" % (name, "|".join(b.get("description", "") for b in info["bands"])))

def read(path):
    ds = gdal.Open(path)
    try:
        return np.stack([ds.GetRasterBand(i + 1).ReadAsArray() for i in range(ds.RasterCount)])
    finally:
        ds = None

clean = read(clean_path)
noisy = read(noisy_path)
java = np.fromfile(raw, dtype="<f4").reshape(clean.shape)
print("groundTruthExact=%s" % bool(np.array_equal(clean, java)))
mask_clean = clean == nodata
mask_noisy = noisy == nodata
print("nodataPixelsPerBand=%s" % ",".join(str(int(m.sum())) for m in mask_clean))
print("nodataMasksEqual=%s" % bool(np.array_equal(mask_clean, mask_noisy)))
print("nodataSameAcrossBands=%s" % bool((mask_clean == mask_clean[0]).all()))
valid = ~mask_clean
residual = noisy[valid].astype(np.float64) - clean[valid].astype(np.float64)
print("residualMean=%.6f" % residual.mean())
print("residualStd=%.6f" % residual.std())
per_band = [float((noisy[b][valid[b]].astype(np.float64) - clean[b][valid[b]]).std()) for b in range(clean.shape[0])]
print("residualStdPerBand=%s" % ",".join("%.3f" % s for s in per_band))
means = [float(clean[b][valid[b]].mean()) for b in range(clean.shape[0])]
print("bandMeans=%s" % ",".join("%.1f" % m for m in means))
flat = np.stack([clean[b][valid[b]] for b in range(clean.shape[0])])
corr = np.corrcoef(flat)
print("minVisibleBandCorrelation=%.4f" % corr[:3, :3].min())
print("nirRedCorrelation=%.4f" % corr[3, 2])
