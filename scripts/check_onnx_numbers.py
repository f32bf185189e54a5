"""Evaluates exported ONNX models with check_onnx.py's small PyTorch interpreter of the ops Convas emits (no
onnxruntime needed) and compares with tfjs's outputs on the same weights and image.

Usage: /usr/bin/python3 scripts/check_onnx_numbers.py MANIFEST.json
The manifest lists {file, inputs: [{file, shape}], outputs: [{file, shape}]}: raw float32, channels-last with
the batch, as tfjs has them. Prints one JSON line per model: largest absolute difference and largest |output|.
"""
import json
import sys

import onnx
import torch

from check_onnx import run_onnx
from check_torch_weights import compare, raw


def check(entry):
    model = onnx.load(entry["file"])
    xs = [raw(i) for i in entry["inputs"]]
    feeds = {i.name: (x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x) for i, x in zip(model.graph.input, xs)}
    with torch.no_grad():
        outs = run_onnx(model, feeds)
    return {"file": entry["file"], **compare(outs, entry["outputs"])}


if __name__ == "__main__":
    torch.set_num_threads(2)
    for e in json.load(open(sys.argv[1])):
        print(json.dumps(check(e)), flush=True)
