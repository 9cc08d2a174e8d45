"""The same multi-task network as yax's MultiTaskNet, built in PyTorch, with yax's exported weights, timed on the
same input. Usage: torch_network_bench.py WORKDIR THREADS WARMUP REPEATS HEAD_INDEX. Reads WORKDIR/weights.json and
the raw little-endian float32 files it names, WORKDIR/input.f32 (1, 3, H, W); writes WORKDIR/torch-output.f32 and
prints a JSON line with the timings. Thread settings are applied before any work."""
import json
import os
import platform
import sys
import time

work, threads, warmup, repeats, head_index = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
import numpy as np
import torch

if threads > 0:
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)
nn = torch.nn
F = torch.nn.functional


def conv(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1)


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = conv(c, c)
        self.conv2 = conv(c, c)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x)))


class MultiTaskNet(nn.Module):
    """Parameters are registered in the order of yax's MultiTaskNet children, so they load by position."""

    def __init__(self, c1, c2, c3, heads):
        super().__init__()
        self.stem = conv(3, c1)
        self.enc1 = Residual(c1)
        self.down1 = conv(c1, c2, 2)
        self.enc2 = Residual(c2)
        self.down2 = conv(c2, c3, 2)
        self.middle = nn.Sequential(Residual(c3), Residual(c3))
        self.up2 = conv(c3, c2 * 4)
        self.dec2 = Residual(c2)
        self.up1 = conv(c2, c1 * 4)
        self.dec1 = Residual(c1)
        self.heads = nn.ModuleList([nn.Sequential(conv(c1, c1), nn.LeakyReLU(0.1), conv(c1, 1)) for _ in range(heads)])

    def forward(self, x, head):
        e1 = self.enc1(F.relu(self.stem(x)))
        e2 = self.enc2(F.relu(self.down1(e1)))
        m = self.middle(F.relu(self.down2(e2)))
        d2 = self.dec2(F.pixel_shuffle(self.up2(m), 2) + e2)
        d1 = self.dec1(F.pixel_shuffle(self.up1(d2), 2) + e1)
        return x[:, 0:1] + self.heads[head](d1)


index = json.load(open(os.path.join(work, "weights.json")))
model = MultiTaskNet(*index["widths"], index["heads"])
params = list(model.parameters())
if len(params) != len(index["parameters"]):
    sys.exit("parameter count differs: torch %d, yax %d" % (len(params), len(index["parameters"])))
with torch.no_grad():
    for p, entry in zip(params, index["parameters"]):
        data = np.fromfile(os.path.join(work, entry["file"]), dtype="<f4").reshape(entry["shape"])
        if tuple(p.shape) != tuple(data.shape):
            sys.exit("shape of %s differs: torch %s, yax %s" % (entry["name"], tuple(p.shape), data.shape))
        p.copy_(torch.from_numpy(data))
model.eval()
h, w = index["height"], index["width"]
x = torch.from_numpy(np.fromfile(os.path.join(work, "input.f32"), dtype="<f4").reshape(1, 3, h, w))
seconds = []
with torch.no_grad():
    for k in range(warmup + repeats):
        t0 = time.perf_counter()
        y = model(x, head_index)
        dt = time.perf_counter() - t0
        if k >= warmup:
            seconds.append(dt)
y.numpy().astype("<f4").tofile(os.path.join(work, "torch-output.f32"))
print(json.dumps({"seconds": seconds, "torch": torch.__version__, "python": platform.python_version(),
                  "threads": torch.get_num_threads(), "interop": torch.get_num_interop_threads()}))
