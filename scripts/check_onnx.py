"""Checks exported ONNX models: onnx.checker (full_check) and shape inference against Convas's analysis.

Usage: /usr/bin/python3 scripts/check_onnx.py MANIFEST.json
The manifest lists {file, outputs: [shape, ...]} (NCHW without the batch). The declared output shapes are
cleared first, so the shapes reported are what ONNX shape inference derives from the graph itself. Prints
one JSON line per model.

An entry may also name `pytorch` (the model.py of Convas's PyTorch export of the same design). Then the ONNX
graph is also run, by a small interpreter below that follows the ONNX operator specs (opset 13) with torch
tensors, on a seeded random input, and compared with the PyTorch module loaded with the ONNX initializers
as its state dict (their names are the module's keys): `max_diff` is the largest absolute difference
over the outputs, relative to the largest output magnitude.
"""
import json
import sys

import onnx


def dims(v):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in v.type.tensor_type.shape.dim]


def check(entry):
    model = onnx.load(entry["file"])
    try:
        onnx.checker.check_model(model, full_check=True)
        error = None
    except Exception as e:  # noqa: BLE001 - reported, not raised
        error = str(e).strip().splitlines()[0][:300]
    bare = onnx.ModelProto()
    bare.CopyFrom(model)
    for o in bare.graph.output:
        o.type.tensor_type.ClearField("shape")
    try:
        inferred = onnx.shape_inference.infer_shapes(bare, strict_mode=True)
        shapes = [dims(o)[1:] for o in inferred.graph.output]
    except Exception as e:  # noqa: BLE001
        error = error or str(e).strip().splitlines()[0][:300]
        shapes = []
    ok = error is None and shapes == entry["outputs"]
    result = {"file": entry["file"], "ok": ok, "error": error, "shapes": shapes, "nodes": len(model.graph.node),
              "initializers": sum(1 for _ in model.graph.initializer)}
    if entry.get("pytorch"):
        try:
            result["max_diff"] = compare_with_pytorch(model, entry["pytorch"])
        except Exception as e:  # noqa: BLE001
            result["ok"] = False
            result["error"] = result["error"] or ("run: " + str(e).strip().splitlines()[0][:300])
    return result


# --- a small ONNX interpreter (the ops Convas exports), following the opset-13 specs -------------------------

def attrs_of(node):
    from onnx import helper
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def run_onnx(model, feeds):
    import numpy as np
    import torch
    import torch.nn.functional as F
    from onnx import numpy_helper

    env = {t.name: torch.from_numpy(np.array(numpy_helper.to_array(t))) for t in model.graph.initializer}
    env.update(feeds)

    def pad4(x, pads, value=0.0):
        t, l, b, r = pads  # ONNX: [x1_begin, x2_begin, x1_end, x2_end]
        return F.pad(x, (l, r, t, b), value=value)

    for node in model.graph.node:
        a = attrs_of(node)
        xs = [env[i] if i else None for i in node.input]
        x = xs[0]
        op = node.op_type
        if op == "Conv":
            y = F.conv2d(pad4(x, a.get("pads", [0, 0, 0, 0])), xs[1], xs[2] if len(xs) > 2 else None,
                         stride=a.get("strides", [1, 1]), dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))
        elif op == "MaxPool":
            assert not a.get("ceil_mode", 0)
            y = F.max_pool2d(pad4(x, a.get("pads", [0, 0, 0, 0]), float("-inf")), a["kernel_shape"], a.get("strides", [1, 1]))
        elif op == "AveragePool":
            assert not a.get("ceil_mode", 0)
            pads, k, st = a.get("pads", [0, 0, 0, 0]), a["kernel_shape"], a.get("strides", [1, 1])
            if a.get("count_include_pad", 0):
                y = F.avg_pool2d(pad4(x, pads), k, st)
            else:
                y = F.avg_pool2d(pad4(x, pads), k, st) / F.avg_pool2d(pad4(torch.ones_like(x[:, :1]), pads), k, st)
        elif op == "GlobalAveragePool":
            y = x.mean(dim=(2, 3), keepdim=True)
        elif op == "GlobalMaxPool":
            y = x.amax(dim=(2, 3), keepdim=True)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = x.reshape(int(np.prod(x.shape[:ax])), -1)
        elif op == "Transpose":
            y = x.permute(*a["perm"])
        elif op == "Gemm":
            assert a.get("transB", 0) == 1 and not a.get("transA", 0)
            y = a.get("alpha", 1.0) * (x @ xs[1].T)
            if len(xs) > 2 and xs[2] is not None:
                y = y + a.get("beta", 1.0) * xs[2]
        elif op == "BatchNormalization":
            sh = [1, -1] + [1] * (x.dim() - 2)
            g, b, m, v = (t.reshape(sh) for t in xs[1:5])
            y = (x - m) / torch.sqrt(v + a.get("epsilon", 1e-5)) * g + b
        elif op == "LRN":
            size, alpha, beta, bias = a["size"], a.get("alpha", 1e-4), a.get("beta", 0.75), a.get("bias", 1.0)
            sq = x * x
            lo, hi = (size - 1) // 2, (size - 1) - (size - 1) // 2
            sqp = F.pad(sq, (0, 0, 0, 0, lo, hi))
            s = sum(sqp[:, i:i + x.shape[1]] for i in range(size))
            y = x / (bias + alpha / size * s) ** beta
        elif op == "Pad":
            assert a.get("mode", b"constant") in (b"constant", "constant")
            p = [int(v) for v in xs[1].tolist()]
            n = len(p) // 2
            assert p[0] == p[1] == p[n] == p[n + 1] == 0
            value = float(xs[2]) if len(xs) > 2 and xs[2] is not None else 0.0
            y = pad4(x, [p[2], p[3], p[n + 2], p[n + 3]], value)
        elif op == "Sum":
            y = sum(xs[1:], xs[0])
        elif op == "Add":
            y = xs[0] + xs[1]
        elif op == "Mul":
            y = xs[0] * xs[1]
        elif op == "Concat":
            y = torch.cat(xs, dim=a["axis"])
        elif op == "Identity":
            y = x
        elif op == "Relu":
            y = torch.clamp(x, min=0)
        elif op == "Clip":
            y = torch.clamp(x, min=float(xs[1]), max=float(xs[2]))
        elif op == "Elu":
            al = a.get("alpha", 1.0)
            y = torch.where(x > 0, x, al * (torch.exp(x) - 1))
        elif op == "Selu":
            al, ga = a.get("alpha", 1.67326319217681884765625), a.get("gamma", 1.05070102214813232421875)
            y = torch.where(x > 0, ga * x, ga * (al * torch.exp(x) - al))
        elif op == "Sigmoid":
            y = 1 / (1 + torch.exp(-x))
        elif op == "Tanh":
            y = torch.tanh(x)
        elif op == "Softmax":
            y = torch.softmax(x, dim=a.get("axis", -1))
        elif op == "Softplus":
            y = torch.log(torch.exp(x) + 1)
        else:
            raise ValueError(f"interpreter: no {op}")
        env[node.output[0]] = y
    return [env[o.name] for o in model.graph.output]


def compare_with_pytorch(model, pytorch_file):
    import importlib.util
    import numpy as np
    import torch
    from onnx import numpy_helper

    spec = importlib.util.spec_from_file_location("convas_model", pytorch_file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = mod.Model().eval()
    keys = set(net.state_dict().keys())
    state = {t.name: torch.from_numpy(np.array(numpy_helper.to_array(t))) for t in model.graph.initializer if t.name in keys}
    missing, unexpected = net.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"ONNX initializers do not fit the PyTorch module: missing {missing}, unexpected {unexpected}")
    gen = torch.Generator().manual_seed(0)
    feeds = {}
    for i in model.graph.input:
        shape = [1] + [d.dim_value for d in i.type.tensor_type.shape.dim][1:]
        feeds[i.name] = torch.rand(shape, generator=gen) * 2 - 1
    with torch.no_grad():
        ours = run_onnx(model, feeds)
        ref = net(*[feeds[i.name] for i in model.graph.input])
    ref = list(ref) if isinstance(ref, (tuple, list)) else [ref]
    worst = 0.0
    for o, r in zip(ours, ref):
        if tuple(o.shape) != tuple(r.shape):
            raise ValueError(f"output shape {tuple(o.shape)} vs PyTorch {tuple(r.shape)}")
        scale = max(float(r.abs().max()), 1e-6)
        worst = max(worst, float((o - r).abs().max()) / scale)
    return worst


if __name__ == "__main__":
    for e in json.load(open(sys.argv[1])):
        print(json.dumps(check(e)), flush=True)
