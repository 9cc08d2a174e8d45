"""Reads generated/manifest.json with Python's json module: prints key=value lines. usage: read_manifest.py <file>"""
import json
import sys

manifest = json.load(open(sys.argv[1]))
print("generatorVersion=%s" % manifest["generatorVersion"])
print("seed=%d" % manifest["seed"])
for name, item in manifest["items"].items():
    print("%s.noiseSigma=%r" % (name, item["noiseSigma"]))
    print("%s.units=%s" % (name, item["units"]))
    print("%s.files=%d" % (name, len(item["files"])))
    print("%s.bytes=%d" % (name, sum(f["bytes"] for f in item["files"])))
