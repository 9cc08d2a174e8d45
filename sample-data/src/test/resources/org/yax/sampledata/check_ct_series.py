"""Independent check of the generated CT series with pydicom: prints key=value lines for the Java test.

usage: check_ct_series.py <noisy dir> <ground-truth dir> <java ground truth .raw (int16 LE, z,y,x)>
"""
import os
import sys

import numpy as np
import pydicom


def load(directory):
    files = sorted(f for f in os.listdir(directory) if f.endswith(".dcm"))
    return [pydicom.dcmread(os.path.join(directory, f)) for f in files]


def hu(ds):
    return ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)


noisy_dir, clean_dir, raw = sys.argv[1:4]
noisy = load(noisy_dir)
clean = load(clean_dir)
clean_hu = np.stack([hu(d) for d in clean])
noisy_hu = np.stack([hu(d) for d in noisy])
java = np.fromfile(raw, dtype="<i2").reshape(clean_hu.shape).astype(np.float64)

print("slices=%d" % len(clean))
print("noisySlices=%d" % len(noisy))
print("groundTruthMaxAbsDiff=%g" % np.abs(clean_hu - java).max())
residual = noisy_hu - clean_hu
print("residualMean=%.6f" % residual.mean())
print("residualStd=%.6f" % residual.std())
print("groundTruthMin=%g" % clean_hu.min())
print("groundTruthMax=%g" % clean_hu.max())

for name, series in (("clean", clean), ("noisy", noisy)):
    z = np.array([float(d.ImagePositionPatient[2]) for d in series])
    instance = np.array([int(d.InstanceNumber) for d in series])
    order = np.argsort(instance)
    steps = np.diff(z[order])
    print("%s.zStepMin=%.6f" % (name, steps.min()))
    print("%s.zStepMax=%.6f" % (name, steps.max()))
    print("%s.sliceThickness=%s" % (name, series[0].SliceThickness))
    print("%s.sliceLocationEqualsZ=%s" % (name, all(abs(float(d.SliceLocation) - float(d.ImagePositionPatient[2])) < 1e-9 for d in series)))
    print("%s.xySame=%s" % (name, len({(str(d.ImagePositionPatient[0]), str(d.ImagePositionPatient[1])) for d in series}) == 1))
    print("%s.orientation=%s" % (name, "\\".join(str(v) for v in series[0].ImageOrientationPatient)))
    print("%s.seriesUids=%d" % (name, len({d.SeriesInstanceUID for d in series})))
    print("%s.sopUids=%d" % (name, len({d.SOPInstanceUID for d in series})))
    print("%s.transferSyntax=%s" % (name, series[0].file_meta.TransferSyntaxUID))
    print("%s.sopClass=%s" % (name, series[0].SOPClassUID))
    print("%s.pixelRepresentation=%d" % (name, series[0].PixelRepresentation))
    print("%s.description=%s" % (name, series[0].SeriesDescription))

print("sharedSopUids=%d" % len({d.SOPInstanceUID for d in clean} & {d.SOPInstanceUID for d in noisy}))
print("sameStudy=%s" % (len({d.StudyInstanceUID for d in clean + noisy}) == 1))
print("sameFrameOfReference=%s" % (len({d.FrameOfReferenceUID for d in clean + noisy}) == 1))
print("uidsValid=%s" % all(len(u) <= 64 and u.startswith("2.25.") for d in clean + noisy
                             for u in (d.SOPInstanceUID, d.SeriesInstanceUID, d.StudyInstanceUID, d.FrameOfReferenceUID)))

# Attributes that differ between the noisy and clean file of the same slice (by keyword).
differing = set()
for a, b in zip(noisy, clean):
    tags = set(a.keys()) | set(b.keys())
    for tag in tags:
        if tag not in a or tag not in b:
            differing.add("missing:" + (pydicom.datadict.keyword_for_tag(tag) or str(tag)))
        elif a[tag].value != b[tag].value:
            differing.add(pydicom.datadict.keyword_for_tag(tag) or str(tag))
    if a.file_meta.MediaStorageSOPInstanceUID != b.file_meta.MediaStorageSOPInstanceUID:
        differing.add("MediaStorageSOPInstanceUID")
print("differing=%s" % ",".join(sorted(differing)))
