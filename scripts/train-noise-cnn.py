#!/usr/bin/python3
"""Trains a small convolutional noise-level estimator on the training images only (issue #18 point 3, a candidate
for `--sigma auto`; measured with scripts/noise-estimators.py --estimators cnn, docs/MODELS.md "Noise estimate").

Usage: /usr/bin/python3 scripts/train-noise-cnn.py OUT.pt [--steps N] [--seed S] [DATA_DIR]

Data: sample-data/data/training/{natural,mri} (grey, each scaled to [0, 1] by its range), at full resolution and
area-downsampled by 2 and 4; 64 x 64 crops with flips and 90-degree turns; Gaussian noise, sigma 0 on a quarter of
crops, log-uniform on [1, 60]/255 otherwise. The network (fully convolutional: 24 learned 5 x 5 filters, their log
amplitude, then dilated 3 x 3 convolutions of 32 channels; a receptive field of 49 pixels) outputs a positive noise
map (exp of its last layer); a crop's estimate is the map's mean, and the loss is |log(estimate + 1/255) -
log(sigma + 1/255)| (a relative error that does not reward answering 0 everywhere). A plane's estimate is the
median of its 64 x 64 tiles' estimates (stride 32, each tile through the network on its own). Writes a TorchScript
module (the map) to OUT.pt every 250 steps and at the end. Debian's python3-torch, CPU, 0.3 s a step on 2 cores.

Measured on the validation images and not shipped: it generalises worse than the weak-texture PCA (docs/MODELS.md
"Noise estimate").
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_support import noise_estimators  # noqa: E402

CROP = 64
DILATIONS = (1, 2, 4, 8, 4, 2, 1)


_NE = noise_estimators()
grey, area = _NE.grey, _NE.area  # noise-estimators.py's readers


class NoiseMap(torch.nn.Module):
    def __init__(self, width=32, filters=24):
        super().__init__()
        # learned 5 x 5 filters whose log amplitude the rest sees: a convolution + ReLU stack on the raw pixels is
        # nearly linear in noise 100 times smaller than its biases, so it cannot measure that noise's size
        self.filters = torch.nn.Conv2d(1, filters, 5, padding=2, bias=False)
        layers = []
        channels = filters
        for d in DILATIONS:
            layers += [torch.nn.Conv2d(channels, width, 3, padding=d, dilation=d), torch.nn.LeakyReLU(0.1)]
            channels = width
        layers.append(torch.nn.Conv2d(width, 1, 1))
        self.body = torch.nn.Sequential(*layers)

    def forward(self, x):
        f = self.filters(x - x.mean(dim=(2, 3), keepdim=True))
        # log amplitude, about -2..2 for amplitudes of 0.0001..0.1 of the range
        amplitude = (0.5 * torch.log(f * f + 1e-8) + 5.0) / 2.0
        # a log-domain map around 1% of the range: positive, and no dead output for clean crops
        return 0.01 * torch.exp(self.body(amplitude).clamp(max=4.0))


def planes(data):
    out = []
    for folder in ("training/natural", "training/mri"):
        d = os.path.join(data, folder)
        for name in sorted(os.listdir(d)):
            img = grey(os.path.join(d, name))
            for f in (1, 2, 4):
                x = area(img, f) if f > 1 else img
                if min(x.shape) < CROP:
                    continue
                lo, hi = x.min(), x.max()
                out.append(((x - lo) / (hi - lo)).astype(np.float32))
    return out


def batch(rng, planes, n):
    crops = np.empty((n, 1, CROP, CROP), np.float32)
    sigmas = np.zeros(n, np.float32)
    for i in range(n):
        p = planes[rng.integers(len(planes))]
        y = rng.integers(p.shape[0] - CROP + 1)
        x = rng.integers(p.shape[1] - CROP + 1)
        c = np.rot90(p[y:y + CROP, x:x + CROP], rng.integers(4))
        if rng.random() < 0.5:
            c = c[:, ::-1]
        s = 0.0 if rng.random() < 0.25 else float(np.exp(rng.uniform(np.log(1 / 255), np.log(60 / 255))))
        crops[i, 0] = c + s * rng.standard_normal(c.shape)
        sigmas[i] = s
    return torch.from_numpy(crops), torch.from_numpy(sigmas)


def main():
    args = sys.argv[1:]
    steps, seed = 3000, 0
    if "--steps" in args:
        i = args.index("--steps")
        steps = int(args[i + 1])
        del args[i:i + 2]
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0]
    data = args[1] if len(args) > 1 else "sample-data/data"
    torch.set_num_threads(os.cpu_count())
    torch.set_flush_denormal(True)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    train = planes(data)
    net = NoiseMap()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps, eta_min=1e-5)
    running = 0.0
    for step in range(1, steps + 1):
        x, s = batch(rng, train, 32)
        estimate = net(x).mean(dim=(1, 2, 3))
        loss = (torch.log(estimate + 1 / 255) - torch.log(s + 1 / 255)).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        running = 0.98 * running + 0.02 * loss.item()
        if step % 100 == 0:
            print("step %d loss %.4f" % (step, running / (1 - 0.98 ** step)), flush=True)
        if step % 250 == 0 or step == steps:
            net.eval()
            torch.jit.save(torch.jit.script(net), out)
            net.train()


if __name__ == "__main__":
    main()
