"""Evaluates exported ONNX models with a small PyTorch interpreter of the ops Convas emits (no onnxruntime
needed) and compares with tfjs's outputs on the same weights and image.

Usage: /usr/bin/python3 scripts/check_onnx_numbers.py MANIFEST.json
The manifest lists {file, inputs: [{file, shape}], outputs: [{file, shape}]}: raw float32, channels-last with
the batch, as tfjs has them. Prints one JSON line per model: largest absolute difference and largest |output|.
"""
import json
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def pad4(x, pads, value=0.0):
    t, l, b, r = pads
    return F.pad(x, (l, r, t, b), value=value) if any(pads) else x


def run(model, feeds):
    env = dict(feeds)
    for init in model.graph.initializer:
        env[init.name] = torch.from_numpy(numpy_helper.to_array(init).copy())
    for n in model.graph.node:
        a = attrs(n)
        x = [env[i] for i in n.input]
        op = n.op_type
        if op == "Conv":
            y = F.conv2d(pad4(x[0], a["pads"]), x[1], x[2] if len(x) > 2 else None, stride=a["strides"], dilation=a["dilations"], groups=a["group"])
        elif op == "MaxPool":
            y = F.max_pool2d(pad4(x[0], a["pads"], float("-inf")), a["kernel_shape"], a["strides"])
        elif op == "AveragePool":
            k, s = a["kernel_shape"], a["strides"]
            total = F.avg_pool2d(pad4(x[0], a["pads"]), k, s)
            if a.get("count_include_pad", 0):
                y = total
            else:
                y = total / F.avg_pool2d(pad4(torch.ones_like(x[0][:, :1]), a["pads"]), k, s)
        elif op == "GlobalAveragePool":
            y = x[0].mean(dim=(2, 3), keepdim=True)
        elif op == "GlobalMaxPool":
            y = x[0].amax(dim=(2, 3), keepdim=True)
        elif op == "Flatten":
            y = x[0].flatten(a.get("axis", 1))
        elif op == "Transpose":
            y = x[0].permute(*a["perm"])
        elif op == "Gemm":
            w = x[1].t() if a.get("transB", 0) else x[1]
            y = x[0] @ w + (x[2] if len(x) > 2 else 0)
        elif op == "BatchNormalization":
            y = F.batch_norm(x[0], x[3], x[4], x[1], x[2], False, 0.0, a["epsilon"])
        elif op == "LRN":
            y = F.local_response_norm(x[0], a["size"], a["alpha"], a["beta"], a["bias"])
        elif op == "Pad":
            p = x[1].tolist()
            y = F.pad(x[0], (p[3], p[7], p[2], p[6]))
        elif op == "Sum":
            y = sum(x[1:], x[0])
        elif op == "Concat":
            y = torch.cat(x, dim=a["axis"])
        elif op == "Identity":
            y = x[0]
        elif op == "Relu":
            y = F.relu(x[0])
        elif op == "Clip":
            y = x[0].clamp(float(x[1]), float(x[2]))
        elif op == "Elu":
            y = F.elu(x[0], a.get("alpha", 1.0))
        elif op == "Selu":
            y = F.selu(x[0])
        elif op == "Sigmoid":
            y = torch.sigmoid(x[0])
        elif op == "Tanh":
            y = torch.tanh(x[0])
        elif op == "Softmax":
            y = F.softmax(x[0], dim=a.get("axis", -1))
        elif op == "Softplus":
            y = F.softplus(x[0])
        elif op == "Mul":
            y = x[0] * x[1]
        else:
            raise ValueError(f"op {op} not interpreted")
        env[n.output[0]] = y
    return [env[o.name] for o in model.graph.output]


def raw(entry):
    return torch.from_numpy(np.fromfile(entry["file"], dtype="<f4").reshape(entry["shape"]))


def check(entry):
    model = onnx.load(entry["file"])
    xs = [raw(i) for i in entry["inputs"]]
    feeds = {i.name: (x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x) for i, x in zip(model.graph.input, xs)}
    with torch.no_grad():
        outs = run(model, feeds)
    diff, scale = 0.0, 0.0
    for o, ref in zip(outs, entry["outputs"]):
        r = raw(ref)
        o = o.permute(0, 2, 3, 1) if o.dim() == 4 else o
        diff = max(diff, float((o - r).abs().max()))
        scale = max(scale, float(r.abs().max()))
    return {"file": entry["file"], "maxDiff": diff, "maxAbs": scale}


if __name__ == "__main__":
    torch.set_num_threads(2)
    for e in json.load(open(sys.argv[1])):
        print(json.dumps(check(e)), flush=True)
