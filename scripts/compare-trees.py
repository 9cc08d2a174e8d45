#!/usr/bin/python3
"""Compares two yax output trees file by file: same pixels, same attributes, same everything else.

Usage: compare-trees.py BEFORE_DIR AFTER_DIR [--json FILE] [--reports] [--tolerance X]

Files are paired by their path relative to each tree; a file in only one tree is a difference.
Never compared: .yax-manifest.json and .yax-tmp-* (batch bookkeeping), and the reports (report.json,
report.csv, *.html) unless --reports is given, in which case their rows are compared without timings
(keys/columns named seconds*) and without regard to order (yax's HTML report: its cards' headings and its
thumbnails, byte for byte; its other values are the JSON/CSV report's, and timings).

DICOM files (recognised by 'DICM' at offset 128): preamble, every element of the file meta and of the data
set, recursively into sequence items, private elements included, compared by their encoded bytes (so a DS
"1.0" is not "1"), and the decoded pixel arrays (dtype, shape, values). Ignored, because every run makes them
anew: elements of VR UI whose values are generated identifiers (a UID from DICOM's registry on either side,
such as a Transfer Syntax or SOP Class UID, is still compared), elements of VR DA, DT and TM, and provenance
text: Derivation Description (0008,2111) and any element whose text holds yax's provenance line
("yax <version> <task> method=...", core's Derivation.describe()); also group lengths (gggg,0000), which
follow the lengths of those UIDs (File Meta Information Group Length grows by 2 when a UID does).

Rasters (anything GDAL opens read-only as a raster): driver, size, band count, GCPs, geotransform,
projection WKT, metadata of every domain of the dataset and of each band, and per band data type, block
size, nodata, colour interpretation, description, scale, offset, unit, colour table, mask flags, overview
count and every pixel (NaN equals NaN). Ignored: the YAX_PROVENANCE item (GdalWriter.PROVENANCE_ITEM, which
holds the provenance line) and TIFFTAG_DATETIME, in any domain, and GDAL's DERIVED_SUBDATASETS domain (GDAL
makes it up on opening, from the file's path; the file's own path in other items reads <file>).

Everything else: byte equality.

Prints one line per difference ("path: what differs: before vs after") and a summary; exit status 0 when
the trees are identical under these rules, 1 when anything differs, 2 on usage errors. --json FILE also
writes the result as JSON, with counts of the ignored elements that did differ ("ignored_differences"),
which shows the exclusions were needed.
"""
import argparse
import csv
import io
import json
import math
import os
import re
import sys

PROVENANCE = re.compile(r"yax \S+ \S+ method=\S*")
RASTER_IGNORED_KEYS = {"YAX_PROVENANCE", "TIFFTAG_DATETIME"}
DICOM_IGNORED_VRS = {"DA", "DT", "TM"}
DERIVATION_DESCRIPTION = 0x00082111
PIXEL_DATA_TAGS = {0x7FE00010, 0x7FE00008, 0x7FE00009}
REPORT_NAMES = {"report.json", "report.csv"}
MAX_VALUE_TEXT = 80


class Differences:
    def __init__(self):
        self.items = []
        self.ignored = {}  # what was looked away from: reason -> count, for --json

    def ignore(self, reason):
        self.ignored[reason] = self.ignored.get(reason, 0) + 1

    def add(self, path, what, before="", after=""):
        self.items.append({"path": path, "what": what, "before": abbreviate(before), "after": abbreviate(after)})


def abbreviate(value):
    if isinstance(value, (bytes, bytearray)):
        text = "bytes[%d] %s" % (len(value), value[:24].hex())
        if len(value) > 24:
            text += "..."
        return text
    text = str(value)
    if len(text) > MAX_VALUE_TEXT:
        text = text[:MAX_VALUE_TEXT - 3] + "..."
    return text


def usage_error(message):
    print("compare-trees: " + message, file=sys.stderr)
    sys.exit(2)


def is_report(rel):
    name = os.path.basename(rel)
    return name in REPORT_NAMES or name.lower().endswith(".html")


def list_files(root, with_reports):
    files = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".yax-tmp-")]
        for f in filenames:
            if f == ".yax-manifest.json" or f.startswith(".yax-tmp-"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), root)
            if is_report(rel) and not with_reports:
                continue
            files.add(rel)
    return files


def is_dicom(path):
    with open(path, "rb") as f:
        head = f.read(132)
    return len(head) == 132 and head[128:132] == b"DICM"


def same_bytes(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x = fa.read(1 << 20)
            y = fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


# ---------------------------------------------------------------- pixels

def compare_arrays(rel, what, a, b, tolerance, diffs):
    """Adds a difference unless a and b have the same dtype, shape and values (NaN equals NaN)."""
    import numpy as np
    if a.dtype != b.dtype:
        diffs.add(rel, what + " data type", a.dtype, b.dtype)
        return
    if a.shape != b.shape:
        diffs.add(rel, what + " shape", a.shape, b.shape)
        return
    if a.dtype.kind in "fc":
        nan_a, nan_b = np.isnan(a), np.isnan(b)
        with np.errstate(invalid="ignore"):
            delta = np.abs(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64) - b)
        bad = (nan_a != nan_b) | (~nan_a & ~nan_b & ~(delta <= tolerance))
    else:
        if tolerance > 0:
            delta = np.abs(a.astype(np.float64) - b.astype(np.float64))
            bad = delta > tolerance
        else:
            bad = a != b
            delta = None
    count = int(np.count_nonzero(bad))
    if count:
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        if delta is None:
            delta = np.abs(a.astype(np.float64) - b.astype(np.float64))
        finite = delta[bad & np.isfinite(delta)]
        worst = float(finite.max()) if finite.size else float("nan")
        diffs.add(rel, "%s: %d of %d values differ (max |difference| %g, first at %s)"
                  % (what, count, a.size, worst, list(first)), a[first], b[first])


# ---------------------------------------------------------------- DICOM

def registered_uid(value):
    from pydicom.uid import UID_dictionary
    values = value if isinstance(value, (list, tuple)) else [value]
    return any(str(v).strip("\0 ") in UID_dictionary for v in values if v is not None)


def text_values(value):
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return [str(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return [value.decode("latin-1")]
    return [] if value is None else [str(value)]


def is_provenance(element):
    return element.tag == DERIVATION_DESCRIPTION or any(PROVENANCE.search(t) for t in text_values(element.value))


def raw_bytes(dataset, tag):
    """The element's encoded value bytes when pydicom still holds them undecoded, else None."""
    raw = dataset.get_item(tag)
    value = getattr(raw, "value", None)
    if type(raw).__name__ == "RawDataElement" and isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return None


def ignored_dicom(elem_a, elem_b):
    """Why a pair of elements (either may be None) is not compared, or None."""
    elems = [e for e in (elem_a, elem_b) if e is not None]
    vrs = {e.VR for e in elems}
    if vrs & DICOM_IGNORED_VRS:
        return "date/time"
    if "UI" in vrs and not any(registered_uid(e.value) for e in elems):
        return "UID"
    if any(is_provenance(e) for e in elems):
        return "provenance"
    return None


def tag_name(tag, elem):
    name = getattr(elem, "keyword", "") or getattr(elem, "name", "")
    return "(%04X,%04X)%s" % (tag.group, tag.element, " " + name if name else "")


def compare_datasets(rel, where, ds_a, ds_b, diffs, skip_pixels):
    for tag in sorted(set(ds_a.keys()) | set(ds_b.keys())):
        if skip_pixels and int(tag) in PIXEL_DATA_TAGS:
            continue
        raw_a = raw_bytes(ds_a, tag) if tag in ds_a else None
        raw_b = raw_bytes(ds_b, tag) if tag in ds_b else None
        ea = ds_a[tag] if tag in ds_a else None
        eb = ds_b[tag] if tag in ds_b else None
        label = where + tag_name(tag, ea if ea is not None else eb)
        reason = "DICOM group length" if tag.element == 0x0000 else ignored_dicom(ea, eb)
        if reason:  # group lengths follow the lengths of the (ignored) UIDs
            if ea is None or eb is None or raw_a != raw_b or ea.value != eb.value:
                diffs.ignore(reason if reason.startswith("DICOM") else "DICOM " + reason)
            continue
        if ea is None or eb is None:
            diffs.add(rel, label + " present", "absent" if ea is None else "present",
                      "absent" if eb is None else "present")
            continue
        if ea.VR != eb.VR:
            diffs.add(rel, label + " VR", ea.VR, eb.VR)
            continue
        if ea.VR == "SQ":
            if len(ea.value) != len(eb.value):
                diffs.add(rel, label + " item count", len(ea.value), len(eb.value))
                continue
            for i, (ia, ib) in enumerate(zip(ea.value, eb.value)):
                compare_datasets(rel, "%s[%d]." % (label, i), ia, ib, diffs, False)
            continue
        if raw_a is not None and raw_b is not None:
            if raw_a != raw_b:
                diffs.add(rel, label, ea.value if ea.value != eb.value else raw_a,
                          eb.value if ea.value != eb.value else raw_b)
        elif ea.value != eb.value or str(ea.value) != str(eb.value):
            diffs.add(rel, label, ea.value, eb.value)


def compare_dicom(rel, a, b, tolerance, diffs):
    import pydicom
    ds_a = pydicom.dcmread(a)
    ds_b = pydicom.dcmread(b)
    if ds_a.preamble != ds_b.preamble:
        diffs.add(rel, "preamble", ds_a.preamble, ds_b.preamble)
    compare_datasets(rel, "file meta ", ds_a.file_meta, ds_b.file_meta, diffs, False)
    # elements first, while pydicom still holds their encoded bytes (decoding the pixels converts some)
    compare_datasets(rel, "", ds_a, ds_b, diffs, True)
    has_a, has_b = "PixelData" in ds_a, "PixelData" in ds_b
    if has_a != has_b:
        diffs.add(rel, "PixelData present", has_a, has_b)
    elif has_a:
        try:
            pa, pb = ds_a.pixel_array, ds_b.pixel_array
        except Exception as e:  # no decoder for this transfer syntax here: compare the encoded bytes instead
            print("%s: pixels not decoded (%s); comparing the PixelData bytes" % (rel, e), file=sys.stderr)
            if ds_a.PixelData != ds_b.PixelData:
                diffs.add(rel, "PixelData bytes", ds_a.PixelData, ds_b.PixelData)
            return
        compare_arrays(rel, "pixels", pa, pb, tolerance, diffs)


# ---------------------------------------------------------------- rasters

def open_raster(path):
    from osgeo import gdal
    try:
        return gdal.OpenEx(path, gdal.OF_RASTER | gdal.OF_READONLY)
    except RuntimeError:
        return None


def metadata(obj, path):
    """Metadata items by domain, without the ignored keys and GDAL's DERIVED_SUBDATASETS (made up when the
    file is opened, from its path); the file's own path in other items (e.g. SUBDATASETS) reads <file>."""
    domains = {}
    for d in sorted(set(obj.GetMetadataDomainList() or []) | {""}):
        if d == "DERIVED_SUBDATASETS":
            continue
        items = [i.replace(path, "<file>") for i in obj.GetMetadata_List(d) or []]
        kept = [i for i in items if i.split("=", 1)[0] not in RASTER_IGNORED_KEYS]
        if kept:
            domains[d] = sorted(kept)
    return domains


def compare_metadata(rel, where, obj_a, obj_b, paths, diffs):
    ma, mb = metadata(obj_a, paths[0]), metadata(obj_b, paths[1])
    for key in RASTER_IGNORED_KEYS:
        if obj_a.GetMetadataItem(key) != obj_b.GetMetadataItem(key):
            diffs.ignore("raster " + key)
    for d in sorted(set(ma) | set(mb)):
        da = dict(i.split("=", 1) if "=" in i else (i, "") for i in ma.get(d, []))
        db = dict(i.split("=", 1) if "=" in i else (i, "") for i in mb.get(d, []))
        for k in sorted(set(da) | set(db)):
            if da.get(k) != db.get(k):
                diffs.add(rel, "%smetadata '%s' %s" % (where, d, k), da.get(k, "<absent>"), db.get(k, "<absent>"))


def same_value(x, y):
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    return x == y


def compare_raster(rel, ds_a, ds_b, paths, tolerance, diffs):
    from osgeo import gdal
    checks = [
        ("driver", ds_a.GetDriver().ShortName, ds_b.GetDriver().ShortName),
        ("size", (ds_a.RasterXSize, ds_a.RasterYSize), (ds_b.RasterXSize, ds_b.RasterYSize)),
        ("band count", ds_a.RasterCount, ds_b.RasterCount),
        ("geotransform", ds_a.GetGeoTransform(can_return_null=True), ds_b.GetGeoTransform(can_return_null=True)),
        ("projection", ds_a.GetProjectionRef(), ds_b.GetProjectionRef()),
        ("GCP projection", ds_a.GetGCPProjection(), ds_b.GetGCPProjection()),
        ("GCPs", [(g.GCPX, g.GCPY, g.GCPZ, g.GCPPixel, g.GCPLine, g.Id, g.Info) for g in ds_a.GetGCPs() or []],
         [(g.GCPX, g.GCPY, g.GCPZ, g.GCPPixel, g.GCPLine, g.Id, g.Info) for g in ds_b.GetGCPs() or []]),
    ]
    for what, x, y in checks:
        if x != y:
            diffs.add(rel, what, x, y)
    if checks[1][1] != checks[1][2] or ds_a.RasterCount != ds_b.RasterCount:
        return
    compare_metadata(rel, "", ds_a, ds_b, paths, diffs)
    for i in range(1, ds_a.RasterCount + 1):
        ba, bb = ds_a.GetRasterBand(i), ds_b.GetRasterBand(i)
        where = "band %d " % i
        ct = lambda b: None if b.GetColorTable() is None else [  # noqa: E731
            b.GetColorTable().GetColorEntry(j) for j in range(b.GetColorTable().GetCount())]
        for what, x, y in [
            ("data type", gdal.GetDataTypeName(ba.DataType), gdal.GetDataTypeName(bb.DataType)),
            ("block size", ba.GetBlockSize(), bb.GetBlockSize()),
            ("nodata", ba.GetNoDataValue(), bb.GetNoDataValue()),
            ("colour interpretation", gdal.GetColorInterpretationName(ba.GetColorInterpretation()),
             gdal.GetColorInterpretationName(bb.GetColorInterpretation())),
            ("description", ba.GetDescription(), bb.GetDescription()),
            ("scale", ba.GetScale(), bb.GetScale()),
            ("offset", ba.GetOffset(), bb.GetOffset()),
            ("unit", ba.GetUnitType(), bb.GetUnitType()),
            ("colour table", ct(ba), ct(bb)),
            ("mask flags", ba.GetMaskFlags(), bb.GetMaskFlags()),
            ("overview count", ba.GetOverviewCount(), bb.GetOverviewCount()),
        ]:
            if not same_value(x, y):
                diffs.add(rel, where + what, x, y)
        compare_metadata(rel, where, ba, bb, paths, diffs)
        if ba.DataType != bb.DataType:
            continue
        rows = max(1, min(ds_a.RasterYSize, (16 << 20) // max(1, ds_a.RasterXSize * 8)))
        before = len(diffs.items)
        for y0 in range(0, ds_a.RasterYSize, rows):
            h = min(rows, ds_a.RasterYSize - y0)
            compare_arrays(rel, "%spixels (rows %d-%d)" % (where, y0, y0 + h - 1),
                           ba.ReadAsArray(0, y0, ds_a.RasterXSize, h), bb.ReadAsArray(0, y0, ds_a.RasterXSize, h),
                           tolerance, diffs)
            if len(diffs.items) > before:
                break  # one pixel line per band is enough


# ---------------------------------------------------------------- reports

def normalise_text(text, root):
    for r in {os.path.abspath(root), os.path.realpath(root)}:
        text = text.replace(r.rstrip(os.sep) + os.sep, "<tree>/").replace(r, "<tree>")
    return text


def without_timings(value, root):
    if isinstance(value, dict):
        return {k: without_timings(v, root) for k, v in value.items() if not k.lower().startswith("seconds")}
    if isinstance(value, list):
        return [without_timings(v, root) for v in value]
    if isinstance(value, str):
        return normalise_text(value, root)
    return value


def add_record(records, key, fields):
    unique, n = key, 1
    while unique in records:
        n += 1
        unique = "%s #%d" % (key, n)
    records[unique] = fields


def record_key(prefix, row):
    parts = [str(row.get(k)) for k in ("input", "series") if row.get(k) not in (None, "")]
    return "%s %s" % (prefix, " ".join(parts)) if parts else prefix


def report_records(path, root):
    """The report as {row key: {field: value}}, timings (seconds*) and the tree's own location removed; a row's
    key is its input (and series), so the order of rows does not matter."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    records = {}
    if path.endswith(".json"):
        data = without_timings(json.loads(text), root)
        for k, v in (data.items() if isinstance(data, dict) else [("report", data)]):
            if isinstance(v, list):
                for item in v:
                    add_record(records, record_key(k, item) if isinstance(item, dict) else k,
                               item if isinstance(item, dict) else {"value": item})
            else:
                add_record(records, k, v if isinstance(v, dict) else {"value": v})
    elif path.endswith(".csv"):
        lines = text.splitlines()
        for c in (l for l in lines if l.startswith("#")):
            add_record(records, "comment", {"text": re.sub(r"in [0-9.]+ s\b", "in <seconds> s", c)})
        table = list(csv.reader(io.StringIO("\n".join(l for l in lines if not l.startswith("#")))))
        if table:
            header = table[0]
            add_record(records, "header", {"columns": [h for h in header if not h.lower().startswith("seconds")]})
            for r in table[1:]:
                row = {h: normalise_text(r[i], root) if i < len(r) else ""
                       for i, h in enumerate(header) if not h.lower().startswith("seconds")}
                add_record(records, record_key("row", row), row)
    elif path.lower().endswith(".html"):
        # yax's HTML report: its cards' headings (status, input) and its thumbnails (the same pixels give the same
        # PNG bytes); the rows' values are the JSON/CSV report's, the rest is timings
        headings = re.findall(r"<h2>(.*?)</h2>", text)
        for heading in headings:
            add_record(records, "card", {"heading": normalise_text(heading, root)})
        for i, png in enumerate(re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)):
            add_record(records, "thumbnail %d" % i, {"png": png})
        if not headings:
            for line in sorted(normalise_text(text, root).splitlines()):
                add_record(records, "line", {"text": line})
    else:
        for line in sorted(normalise_text(text, root).splitlines()):
            add_record(records, "line", {"text": line})
    return records


def compare_report(rel, a, b, root_a, root_b, diffs):
    ra, rb = report_records(a, root_a), report_records(b, root_b)
    for key in sorted(set(ra) | set(rb)):
        if key not in rb:
            diffs.add(rel, key + ": only in before", json.dumps(ra[key], sort_keys=True), "")
        elif key not in ra:
            diffs.add(rel, key + ": only in after", "", json.dumps(rb[key], sort_keys=True))
        else:
            for field in sorted(set(ra[key]) | set(rb[key])):
                x, y = ra[key].get(field, "<absent>"), rb[key].get(field, "<absent>")
                if x != y:
                    diffs.add(rel, "%s: %s" % (key, field), x, y)


# ---------------------------------------------------------------- main

def compare_file(rel, a, b, args, diffs):
    if is_report(rel):
        compare_report(rel, a, b, args.before, args.after, diffs)
        return
    dicom_a, dicom_b = is_dicom(a), is_dicom(b)
    if dicom_a or dicom_b:
        if dicom_a != dicom_b:
            diffs.add(rel, "file type", "DICOM" if dicom_a else "not DICOM", "DICOM" if dicom_b else "not DICOM")
        else:
            compare_dicom(rel, a, b, args.tolerance, diffs)
        return
    ra, rb = open_raster(a), open_raster(b)
    try:
        if ra is not None or rb is not None:
            if ra is None or rb is None:
                diffs.add(rel, "file type", "raster" if ra else "not a raster", "raster" if rb else "not a raster")
            else:
                compare_raster(rel, ra, rb, (a, b), args.tolerance, diffs)
            return
    finally:
        ra = rb = None  # closes the datasets
    if not same_bytes(a, b):
        diffs.add(rel, "bytes", "%d bytes" % os.path.getsize(a), "%d bytes" % os.path.getsize(b))


def main(argv):
    parser = argparse.ArgumentParser(
        prog="compare-trees.py",
        description="Compare two yax output trees: pixels and attributes must be identical, except UIDs, "
                    "dates/times and provenance text. Exit 0 identical, 1 different, 2 usage error.")
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON to FILE")
    parser.add_argument("--reports", action="store_true",
                        help="compare report.json/report.csv/*.html rows too (ignoring seconds* and row order)")
    parser.add_argument("--tolerance", type=float, default=0.0, metavar="X",
                        help="largest absolute pixel difference accepted (default 0: identical)")
    args = parser.parse_args(argv)
    for d in (args.before, args.after):
        if not os.path.isdir(d):
            usage_error("not a folder: " + d)
    if not args.tolerance >= 0:
        usage_error("--tolerance must be >= 0")

    from osgeo import gdal
    gdal.UseExceptions()
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO")  # never write .aux.xml sidecars into the trees
    gdal.SetConfigOption("CPL_LOG", os.devnull)

    files_a = list_files(args.before, args.reports)
    files_b = list_files(args.after, args.reports)
    only_a = sorted(files_a - files_b)
    only_b = sorted(files_b - files_a)
    common = sorted(files_a & files_b)
    diffs = Differences()
    differing = []
    for rel in common:
        count = len(diffs.items)
        try:
            compare_file(rel, os.path.join(args.before, rel), os.path.join(args.after, rel), args, diffs)
        except Exception as e:  # an unreadable file is a difference, not a crash
            diffs.add(rel, "could not compare (%s: %s)" % (type(e).__name__, e))
        if len(diffs.items) > count:
            differing.append(rel)
    for rel in only_a:
        diffs.add(rel, "only in before")
    for rel in only_b:
        diffs.add(rel, "only in after")

    for d in diffs.items:
        line = "%s: %s" % (d["path"], d["what"])
        if d["before"] != "" or d["after"] != "":
            line += ": %s vs %s" % (d["before"], d["after"])
        print(line)
    summary = "%d files compared, %d identical, %d differ, only in before: %d, only in after: %d" % (
        len(common), len(common) - len(differing), len(differing), len(only_a), len(only_b))
    print(summary)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"before": args.before, "after": args.after, "compared": len(common),
                       "identical": len(common) - len(differing), "differ": differing,
                       "only_in_before": only_a, "only_in_after": only_b, "differences": diffs.items,
                       "ignored_differences": diffs.ignored, "tolerance": args.tolerance, "reports": args.reports, "summary": summary}, f, indent=2)
            f.write("\n")
    return 0 if not diffs.items else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
