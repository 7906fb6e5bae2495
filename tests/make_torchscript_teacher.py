#!/usr/bin/python3
"""Writes tests/data/tiny_teacher.torchscript: a fixed TorchScript module for the teacher-import tests.

It maps 4 encoded features to 3 logits with known weights (logits = x @ W + b), so the C++ test can
check the imported outputs exactly. Run with Debian's python3-torch:  /usr/bin/python3 tests/make_torchscript_teacher.py
"""
import pathlib

import torch


class TinyTeacher(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.tensor([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [0.0, -1.0, 1.0], [0.25, 0.25, 0.25]]))
        self.bias = torch.nn.Parameter(torch.tensor([0.1, -0.2, 0.3]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.weight + self.bias


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent / "data" / "tiny_teacher.torchscript"
    torch.jit.script(TinyTeacher()).save(str(out))
    print(out)
