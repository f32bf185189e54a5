"""Checks exported ONNX models: onnx.checker (full_check) and shape inference against Convas's analysis.

Usage: /usr/bin/python3 scripts/check_onnx.py MANIFEST.json
The manifest lists {file, outputs: [shape, ...]} (NCHW without the batch). The declared output shapes are
cleared first, so the shapes reported are what ONNX shape inference derives from the graph itself. Prints
one JSON line per model.

The numbers the models compute are checked by ONNX Runtime (onnxruntime-web, in the vitest suites), not here.
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
    return result


if __name__ == "__main__":
    for e in json.load(open(sys.argv[1])):
        print(json.dumps(check(e)), flush=True)
