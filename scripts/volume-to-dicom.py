#!/usr/bin/python3
"""Writes a real 3-D volume (NIfTI-1, .nii or .nii.gz) as a DICOM MR series of thin slices, for
`yax eval --task sr-z` (which simulates thick slices from them). Run with Debian's python3 (numpy, pydicom).

    volume-to-dicom.py IN.nii[.gz] OUTDIR --slice-axis x|y|z [--volume K] [--name NAME]

The slices are taken across --slice-axis of the NIfTI voxel array (i, j, k = x, y, z): each becomes one
file, placed by ImagePositionPatient along that axis at the voxel size; PixelSpacing is the voxel size of the
other two axes. Values are stored as 16-bit unsigned integers (shifted so the minimum is 0; the volumes used
here are integer-valued). UIDs are derived from the input's SHA-256 and the options, so a rerun writes the
same bytes (the generated files are checksummed like the rest of the sample data)."""
import argparse, gzip, hashlib, os, struct, sys
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage


def load_nifti(path):
    raw = open(path, 'rb').read()
    data = gzip.decompress(raw) if path.endswith('.gz') else raw
    endian = '<' if struct.unpack('<i', data[0:4])[0] == 348 else '>'
    dim = struct.unpack(endian + '8h', data[40:56])
    code = struct.unpack(endian + 'h', data[70:72])[0]
    pixdim = struct.unpack(endian + '8f', data[76:108])
    offset = int(struct.unpack(endian + 'f', data[108:112])[0])
    types = {2: 'u1', 4: 'i2', 8: 'i4', 16: 'f4', 64: 'f8', 256: 'i1', 512: 'u2', 768: 'u4', 1024: 'i8'}
    dtype = np.dtype(types[code]).newbyteorder(endian)
    shape = dim[1:dim[0] + 1]
    count = int(np.prod(shape))
    array = np.frombuffer(data[offset:offset + count * dtype.itemsize], dtype).reshape(shape[::-1])
    return array, pixdim[1:4], hashlib.sha256(raw).hexdigest()   # array axes: (..., z, y, x)


def uid(seed, *parts):
    digest = hashlib.sha256(('\0'.join([seed] + [str(p) for p in parts])).encode()).digest()
    return '2.25.' + str(int.from_bytes(digest[:16], 'big'))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('input')
    p.add_argument('output')
    p.add_argument('--slice-axis', choices='xyz', required=True)
    p.add_argument('--volume', type=int, default=0, help='time point of a 4-D file')
    p.add_argument('--name', default=None)
    a = p.parse_args()
    array, voxel, sha = load_nifti(a.input)
    if array.ndim == 4:
        array = array[a.volume]
    vz, vy, vx = array.shape
    sx, sy, sz = (float(v) for v in voxel)
    axis = 'zyx'.index(a.slice_axis)                      # axis of the (z, y, x) array
    stack = np.moveaxis(array, axis, 0)                     # (slices, rows, columns)
    spacing = {'x': sx, 'y': sy, 'z': sz}
    row_axis, column_axis = [c for c in 'zyx' if c != a.slice_axis]
    # patient directions: x, y, z of the volume; rows run along row_axis, columns along column_axis
    unit = {'x': [1, 0, 0], 'y': [0, 1, 0], 'z': [0, 0, 1]}
    orientation = unit[column_axis] + unit[row_axis]
    values = stack.astype(np.float64)
    values -= values.min()
    if values.max() > 65535 or not np.allclose(values, np.round(values)):
        sys.exit('volume-to-dicom: only integer volumes within 16 bits are written exactly')
    values = values.astype(np.uint16)
    name = a.name or os.path.basename(a.input).split('.')[0]
    seed = sha + a.slice_axis + str(a.volume)
    os.makedirs(a.output, exist_ok=True)
    for k in range(values.shape[0]):
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = MRImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = uid(seed, 'instance', k)
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID = MRImageStorage
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID = uid(seed, 'study')
        ds.SeriesInstanceUID = uid(seed, 'series')
        ds.FrameOfReferenceUID = uid(seed, 'frame')
        ds.Modality = 'MR'
        ds.PatientName = name
        ds.PatientID = name
        for keyword in ('PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime', 'ReferringPhysicianName',
                        'StudyID', 'AccessionNumber', 'PositionReferenceIndicator', 'Manufacturer'):
            setattr(ds, keyword, '')
        ds.SeriesDescription = name + ' slices across ' + a.slice_axis
        ds.ImageType = ['ORIGINAL', 'PRIMARY', 'OTHER']
        ds.SeriesNumber = 1
        ds.InstanceNumber = k + 1
        ds.ImageOrientationPatient = [float(v) for v in orientation]
        position = [0.0, 0.0, 0.0]
        position['xyz'.index(a.slice_axis)] = k * spacing[a.slice_axis]
        ds.ImagePositionPatient = position
        ds.SliceLocation = k * spacing[a.slice_axis]
        ds.SliceThickness = spacing[a.slice_axis]
        ds.PixelSpacing = [spacing[row_axis], spacing[column_axis]]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = 'MONOCHROME2'
        ds.Rows, ds.Columns = values.shape[1], values.shape[2]
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        ds.ScanningSequence = 'RM'
        ds.SequenceVariant = 'NONE'
        ds.ScanOptions = ''
        ds.MRAcquisitionType = '3D'
        ds.EchoTime = None
        ds.RepetitionTime = None
        ds.EchoTrainLength = None
        ds.PixelData = np.ascontiguousarray(values[k]).tobytes()
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.save_as(os.path.join(a.output, 'IM%04d.dcm' % (k + 1)), write_like_original=False)
    print('%s: %d slices of %dx%d, slice spacing %g mm, pixel spacing %g x %g mm'
          % (a.output, values.shape[0], values.shape[1], values.shape[2], spacing[a.slice_axis],
             spacing[row_axis], spacing[column_axis]))


if __name__ == '__main__':
    main()
