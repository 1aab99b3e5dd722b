#!/usr/bin/env python3
"""Why: the PyTorch export is only worth having if it computes what the app computes. This runs an
exported model.py + checkpoint on the MNIST test images, normalised exactly like the app
((x/255 - 0.1307)/0.3081), in eval mode, and compares with the app's own predictions: a .safetensors
file with one F32 tensor `probabilities` [N, 10] (softmax, test images 0..N-1 in file order) and
metadata format "convplay-predictions" (src/export/predictions.ts writes it).

  python3 tools/check-pytorch-export.py --model model.py --weights model.safetensors \\
      --predictions predictions.safetensors [--images public/data/mnist/t10k-images-idx3-ubyte.gz]
  python3 tools/check-pytorch-export.py --self-test [model.py ...]   (no torch needed)

Passes when argmax agrees on >= 99.9% of images and max |delta prob| < 1e-4; exit 1 otherwise,
2 on unusable input. Only the standard library and torch are used.
"""
import argparse
import ast
import gzip
import importlib.util
import json
import os
import struct
import sys

MEAN = 0.1307
STD = 0.3081
CLASSES = 10
DEFAULT_IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "public", "data", "mnist", "t10k-images-idx3-ubyte.gz")


class CheckError(Exception):
    """An input that cannot be checked (missing file, wrong format)."""


def read_idx_images(path):
    """(count, rows, cols, bytes) from an IDX3 file (gzipped or not)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return parse_idx_images(raw)


def parse_idx_images(raw):
    if len(raw) < 16:
        raise CheckError("IDX file too short")
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 0x00000803:
        raise CheckError("not an IDX3 u8 image file (magic 0x%08x)" % magic)
    if len(raw) != 16 + count * rows * cols:
        raise CheckError("IDX size mismatch: %d images of %dx%d need %d bytes, file has %d" % (count, rows, cols, 16 + count * rows * cols, len(raw)))
    return count, rows, cols, raw[16:]


def read_safetensors_header(raw):
    """(header dict, data bytes) of a safetensors file, checked enough for our own files."""
    if len(raw) < 8:
        raise CheckError("safetensors file too short")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise CheckError("safetensors header length %d exceeds the file" % n)
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    if not isinstance(header, dict):
        raise CheckError("safetensors header is not an object")
    return header, raw[8 + n:]


def read_probabilities(path):
    """(count, list of floats) for the `probabilities` tensor of an app predictions file."""
    with open(path, "rb") as f:
        header, data = read_safetensors_header(f.read())
    meta = header.get("__metadata__", {})
    if meta.get("format") != "convplay-predictions":
        raise CheckError("%s: metadata format is %r, expected 'convplay-predictions'" % (path, meta.get("format")))
    if meta.get("dataset", "mnist") != "mnist":
        raise CheckError("%s: predictions are for %r; this tool checks MNIST" % (path, meta.get("dataset")))
    info = header.get("probabilities")
    if not info or info.get("dtype") != "F32" or len(info.get("shape", [])) != 2 or info["shape"][1] != CLASSES:
        raise CheckError("%s: expected an F32 tensor 'probabilities' [N, %d]" % (path, CLASSES))
    begin, end = info["data_offsets"]
    count = info["shape"][0]
    if end - begin != count * CLASSES * 4 or end > len(data):
        raise CheckError("%s: data_offsets do not match the shape" % path)
    values = struct.unpack("<%df" % (count * CLASSES), data[begin:end])
    return count, values


def load_module(path):
    spec = importlib.util.spec_from_file_location("convplay_export_model", path)
    if spec is None or spec.loader is None:
        raise CheckError("cannot import %s" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare(app, ours, count):
    """(argmax agreement in [0, 1], max |delta|, index of the worst value) of two flat [count, 10] lists."""
    agree, worst, worst_at = 0, 0.0, -1
    for i in range(count):
        a = app[i * CLASSES:(i + 1) * CLASSES]
        b = ours[i * CLASSES:(i + 1) * CLASSES]
        if max(range(CLASSES), key=a.__getitem__) == max(range(CLASSES), key=b.__getitem__):
            agree += 1
        for j in range(CLASSES):
            d = abs(a[j] - b[j])
            if d > worst or d != d:
                worst, worst_at = d, i * CLASSES + j
    return (agree / count if count else 1.0), worst, worst_at


def check(args):
    import torch  # noqa: F401  (only the real check needs torch)

    count, app = read_probabilities(args.predictions)
    total, rows, cols, pixels = read_idx_images(args.images)
    if count > total:
        raise CheckError("%d predictions but only %d test images" % (count, total))
    module = load_module(args.model)
    if tuple(module.INPUT_SHAPE) != (1, rows, cols):
        raise CheckError("model input %s does not match %dx%d images" % (module.INPUT_SHAPE, rows, cols))
    model = module.load(args.weights).eval()
    x = torch.frombuffer(bytearray(pixels[:count * rows * cols]), dtype=torch.uint8).reshape(count, 1, rows, cols)
    x = (x.to(torch.float32) / 255.0 - MEAN) / STD
    with torch.no_grad():
        probs = torch.cat([torch.softmax(model(x[i:i + 500]), dim=1) for i in range(0, count, 500)]) if count else torch.empty(0, CLASSES)
    ours = probs.reshape(-1).tolist()
    agreement, worst, at = compare(app, ours, count)
    ok = agreement >= args.min_agreement and worst < args.max_delta
    print("%d images: argmax agreement %.4f%% (need >= %.2f%%), max |delta prob| %.3g (need < %.0e)%s" % (
        count, 100 * agreement, 100 * args.min_agreement, worst, args.max_delta,
        "" if worst == 0 else ", worst at image %d class %d" % (at // CLASSES, at % CLASSES)))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def self_test(models):
    """Checks the pure-Python parts (IDX, safetensors, comparison) and that model files parse."""
    img = struct.pack(">IIII", 0x803, 2, 2, 3) + bytes(range(12))
    assert parse_idx_images(img) == (2, 2, 3, bytes(range(12)))
    for bad in (img[:10], img[:-1], struct.pack(">I", 0x801) + img[4:]):
        try:
            parse_idx_images(bad)
        except CheckError:
            pass
        else:
            raise AssertionError("bad IDX accepted")
    assert abs((0 / 255 - MEAN) / STD + 0.42421) < 1e-4
    body = json.dumps({"__metadata__": {"format": "convplay-predictions", "dataset": "mnist"},
                       "probabilities": {"dtype": "F32", "shape": [1, 10], "data_offsets": [0, 40]}}).encode()
    body += b" " * (-len(body) % 8)
    raw = struct.pack("<Q", len(body)) + body + struct.pack("<10f", *([0.1] * 10))
    header, data = read_safetensors_header(raw)
    assert header["probabilities"]["shape"] == [1, 10] and len(data) == 40
    a = [0.0] * 10 + [1.0] + [0.0] * 9
    assert compare(a, a, 2) == (1.0, 0.0, -1)
    b = [0.0, 1.0] + [0.0] * 8 + [1.0] + [0.0] * 9
    agreement, worst, _ = compare(a, b, 2)
    assert agreement == 0.5 and worst == 1.0
    for path in models:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
        names = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
        missing = {"ConvplayNet", "load", "save", "read_safetensors"} - names
        if missing:
            raise AssertionError("%s lacks %s" % (path, ", ".join(sorted(missing))))
        print("parsed %s" % path)
    print("self-test passed")
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--self-test", nargs="*", metavar="MODEL_PY", help="check this tool (and that these model.py files parse); no torch needed")
    p.add_argument("--model", help="exported model.py")
    p.add_argument("--weights", help="exported .safetensors checkpoint")
    p.add_argument("--predictions", help="the app's predictions (.safetensors, 'probabilities' [N, 10])")
    p.add_argument("--images", default=DEFAULT_IMAGES, help="t10k-images-idx3-ubyte(.gz)")
    p.add_argument("--min-agreement", type=float, default=0.999)
    p.add_argument("--max-delta", type=float, default=1e-4)
    args = p.parse_args(argv)
    if args.self_test is not None:
        return self_test(args.self_test)
    if not (args.model and args.weights and args.predictions):
        p.error("--model, --weights and --predictions are required (or --self-test)")
    try:
        return check(args)
    except ImportError as e:
        print("cannot check: %s (install PyTorch: pip install torch, or apt-get install python3-torch)" % e, file=sys.stderr)
        return 2
    except (CheckError, OSError, ValueError, KeyError) as e:
        print("cannot check: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
