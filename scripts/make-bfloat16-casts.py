#!/usr/bin/env python3
"""Writes the two TorchScript modules yax's bfloat16 inference casts with (org.yax.models.net.Bfloat16).

DJL 0.35's PyTorch JNI has no bfloat16 data type (any bfloat16 array from Java aborts the JVM), but libtorch runs
bfloat16 tensors that a TorchScript module returns. These modules hold no weights: one casts a tensor to bfloat16,
the other back to float32. Run with Debian's python3-torch (scripts/setup.sh installs it); the output is committed:
    python3 scripts/make-bfloat16-casts.py models/src/main/resources/org/yax/models/net
"""
import sys

import torch


class ToBfloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


class ToFloat32(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.float32)


out = sys.argv[1]
torch.jit.script(ToBfloat16()).save(out + "/to-bfloat16.pt")
torch.jit.script(ToFloat32()).save(out + "/to-float32.pt")
