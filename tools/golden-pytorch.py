#!/usr/bin/env python3
"""Why: our kernels are tested against src/reference/, which we wrote ourselves from the maths; a shared
misreading of a convention (padding, divisor, momentum, bias correction) would pass both. This script
asks an independent implementation, PyTorch, for the answers on small awkward cases with fixed seeds
and stores inputs and outputs as golden vectors in src/kernels/golden/*.json (one file per kernel
family), which src/kernels/golden.test.ts runs our GPU kernels against. Not run in CI; rerun it by hand
when a case is added (the output is deterministic, so unchanged cases give unchanged files):

  /usr/bin/python3 tools/golden-pytorch.py      (Debian: apt-get install python3-torch)

Precision: every input is drawn in float32 (so the GPU gets exactly the same numbers) and stored with 9
significant digits, which round-trips a float32 exactly. PyTorch then computes in float64 from those
float32 values (forward with torch.nn.functional, gradients with autograd given an upstream gradient dy,
optimizer steps with torch.optim on float64 tensors), and the outputs are stored with 9 significant
digits: the golden values are the exact answers to ~1e-9, and the test's tolerance is the f32 GPU's.

Conventions mapped onto PyTorch (see the kernels' headers in shaders/ and src/kernels/):
- layouts are NCHW / row-major, flattened; max-pool indices are PyTorch's (per (n, c) plane: ih·W + iw),
  the test turns them into our flat index into x;
- avg-pool counts padding as zeros with divisor FH·FW: count_include_pad=True, ceil_mode=False;
- batch norm: PyTorch's momentum (running = (1 − m)·running + m·batch, unbiased variance there, biased
  variance in the normalisation); invStd = 1/sqrt(biased var + eps) is what our forward saves;
- softmax cross-entropy: loss sum = reduction 'sum', dlogits = grad of reduction 'mean' (gradScale 1/N)
  or of 'sum' (gradScale 1);
- SGD: torch.optim.SGD with dampening 0 (our velocity starts at zero, so its first step v = g is PyTorch's);
- Adam / AdamW: torch.optim.Adam / AdamW, amsgrad off.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "kernels", "golden")
F64 = torch.float64


def rand(*shape, lo=-1.0, hi=1.0):
    """Uniform float32 values in [lo, hi), returned as float64 (exactly the float32 values)."""
    return (torch.rand(*shape, dtype=torch.float32) * (hi - lo) + lo).to(F64)


def flat(t):
    """A tensor as a flat list of floats with 9 significant digits (exact for float32 values)."""
    return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]


def grad_param(t):
    return t.clone().requires_grad_(True)


def matmul_cases():
    torch.manual_seed(1)
    cases = []
    # (label, M, N, K, transA, transB, bias, relu): batch 1, sizes not multiples of 4 (the scalar
    # variant), multiples of 4 (the vec4 variant), each transpose, ReLU.
    for label, M, N, K, ta, tb, bias, relu in [
        ("dense forward, batch 1: x·Wᵀ + b", 1, 10, 13, False, True, True, False),
        ("plain 7×5 · 5×3 (dx = dy·W shape)", 7, 3, 5, False, False, False, False),
        ("transA 6×9 (dW = dyᵀ·x shape)", 6, 9, 5, True, False, False, False),
        ("both transposed, odd sizes", 3, 7, 6, True, True, True, False),
        ("vec4 8×12×16 transB + bias + ReLU", 8, 12, 16, False, True, True, True),
        ("vec4 transA 4×8×4", 4, 8, 4, True, False, False, False),
    ]:
        a = rand(K, M) if ta else rand(M, K)
        b = rand(N, K) if tb else rand(K, N)
        bv = rand(N)
        c = (a.T if ta else a) @ (b.T if tb else b)
        if bias:
            c = c + bv
        if relu:
            c = torch.relu(c)
        cases.append({"label": label, "M": M, "N": N, "K": K, "transA": ta, "transB": tb, "relu": relu,
                      "a": flat(a), "b": flat(b), "bias": flat(bv) if bias else None, "c": flat(c)})
    return cases


def conv2d_cases():
    torch.manual_seed(2)
    cases = []
    # (label, N, C, H, W, K, FH, FW, S, PH, PW, dilation)
    for label, N, C, H, W, K, FH, FW, S, PH, PW, D in [
        ("batch 1, C=1, odd K=5, 3×3 pad 1", 1, 1, 7, 9, 5, 3, 3, 1, 1, 1, 1),
        ("stride 2, pad 1", 2, 2, 9, 8, 3, 3, 3, 2, 1, 1, 1),
        ("dilation 2, pad 2×1", 2, 2, 10, 9, 4, 3, 3, 1, 2, 1, 2),
        ("non-square 2×5, stride 3, pad 0×2", 2, 2, 6, 11, 3, 2, 5, 3, 0, 2, 1),
        ("1×1 kernel", 2, 3, 5, 6, 4, 1, 1, 1, 0, 0, 1),
        ("F=4 > S=2 overlapping, no pad", 1, 3, 11, 10, 6, 4, 4, 2, 0, 0, 1),
    ]:
        x = grad_param(rand(N, C, H, W))
        w = grad_param(rand(K, C, FH, FW))
        b = grad_param(rand(K))
        y = F.conv2d(x, w, b, stride=S, padding=(PH, PW), dilation=D)
        dy = rand(*y.shape)
        y.backward(dy)
        cases.append({"label": label, "N": N, "C": C, "H": H, "W": W, "K": K, "FH": FH, "FW": FW, "S": S,
                      "PH": PH, "PW": PW, "dilation": D, "OH": y.shape[2], "OW": y.shape[3],
                      "x": flat(x), "w": flat(w), "b": flat(b), "dy": flat(dy),
                      "y": flat(y), "dx": flat(x.grad), "dw": flat(w.grad), "db": flat(b.grad)})
    return cases


# (label, N, C, H, W, FH, FW, S, P), shared by both pools.
POOL_SHAPES = [
    ("batch 1, C=1, 7×7 F2 S2 (floor)", 1, 1, 7, 7, 2, 2, 2, 0),
    ("13×11 F2 S2", 2, 3, 13, 11, 2, 2, 2, 0),
    ("9×10 F3 S2 overlapping", 2, 2, 9, 10, 3, 3, 2, 0),
    ("9×10 F3 S2 P1 overlapping + pad", 1, 3, 9, 10, 3, 3, 2, 1),
    ("6×5 FH3 FW2 S1 P1", 1, 2, 6, 5, 3, 2, 1, 1),
]


def pool_cases(kind):
    torch.manual_seed(3 if kind == "max" else 4)
    cases = []
    for label, N, C, H, W, FH, FW, S, P in POOL_SHAPES:
        x = grad_param(rand(N, C, H, W, lo=-2, hi=2))
        case = {"label": label, "N": N, "C": C, "H": H, "W": W, "FH": FH, "FW": FW, "S": S, "P": P}
        if kind == "max":
            y, idx = F.max_pool2d(x, (FH, FW), stride=S, padding=P, return_indices=True)
        else:
            y = F.avg_pool2d(x, (FH, FW), stride=S, padding=P, ceil_mode=False, count_include_pad=True)
        dy = rand(*y.shape)
        y.backward(dy)
        case.update({"OH": y.shape[2], "OW": y.shape[3], "x": flat(x), "dy": flat(dy), "y": flat(y), "dx": flat(x.grad)})
        if kind == "max":
            case["indices"] = idx.reshape(-1).tolist()
        cases.append(case)
    return cases


def batch_norm_cases():
    torch.manual_seed(5)
    cases = []
    # (label, N, C, H, W, momentum, eps); HW = H·W, a dense layer is H = W = 1.
    for label, N, C, H, W, momentum, eps in [
        ("N=1 conv C=2 5×6", 1, 2, 5, 6, 0.1, 1e-5),
        ("N=3 C=5 conv 3×5", 3, 5, 3, 5, 0.1, 1e-5),
        ("dense N=4 F=7", 4, 7, 1, 1, 0.1, 1e-5),
        ("C=1, momentum 0.25, eps 1e-3", 3, 1, 2, 5, 0.25, 1e-3),
    ]:
        # Per-channel location and scale differ, so a channel mix-up shows.
        loc = rand(1, C, 1, 1, lo=-1, hi=1)
        scale = rand(1, C, 1, 1, lo=0.5, hi=2)
        x = grad_param((rand(N, C, H, W) * scale + loc).float().to(F64))
        gamma = grad_param(rand(C, lo=0.5, hi=1.5))
        beta = grad_param(rand(C))
        running_mean0 = rand(C)
        running_var0 = rand(C, lo=0.5, hi=2)
        running_mean, running_var = running_mean0.clone(), running_var0.clone()
        y = F.batch_norm(x, running_mean, running_var, gamma, beta, training=True, momentum=momentum, eps=eps)
        dy = rand(*y.shape)
        y.backward(dy)
        var = x.detach().var(dim=(0, 2, 3), unbiased=False)
        cases.append({"label": label, "N": N, "C": C, "HW": H * W, "momentum": momentum, "epsilon": eps,
                      "x": flat(x), "gamma": flat(gamma), "beta": flat(beta),
                      "runningMean0": flat(running_mean0), "runningVar0": flat(running_var0), "dy": flat(dy),
                      "y": flat(y), "mean": flat(x.detach().mean(dim=(0, 2, 3))), "invStd": flat(1 / torch.sqrt(var + eps)),
                      "runningMean": flat(running_mean), "runningVar": flat(running_var),
                      "dx": flat(x.grad), "dgamma": flat(gamma.grad), "dbeta": flat(beta.grad)})
    return cases


def softmax_cross_entropy_cases():
    torch.manual_seed(6)
    cases = []
    # (label, N, classes, logit range, reduction of the gradient)
    for label, N, classes, spread, reduction in [
        ("batch 1, 10 classes", 1, 10, 3, "mean"),
        ("N=7, 10 classes", 7, 10, 4, "mean"),
        ("N=5, 3 classes, logits ±60", 5, 3, 60, "mean"),
        ("N=6, 10 classes, gradient of the sum", 6, 10, 3, "sum"),
    ]:
        x = grad_param(rand(N, classes, lo=-spread, hi=spread))
        labels = torch.randint(0, classes, (N,))
        loss = F.cross_entropy(x, labels, reduction=reduction)
        loss.backward()
        row_loss = F.cross_entropy(x.detach(), labels, reduction="none")
        cases.append({"label": label, "N": N, "classes": classes, "gradScale": 1 / N if reduction == "mean" else 1,
                      "logits": flat(x), "labels": labels.tolist(),
                      "probs": flat(torch.softmax(x.detach(), dim=1)), "rowLoss": flat(row_loss),
                      "lossSum": flat(row_loss.sum())[0], "correct": int((x.detach().argmax(dim=1) == labels).sum()),
                      "dlogits": flat(x.grad)})
    return cases


def optimizer_run(make, p0, grads):
    """Steps a torch optimizer over float64 params with the given gradients; returns params after each step."""
    p = p0.clone().requires_grad_(True)
    opt = make([p])
    after = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        after.append(flat(p))
    return after, opt.state[p]


STEPS = 3


def sgd_cases():
    torch.manual_seed(7)
    cases = []
    for label, n, lr, momentum, nesterov, wd in [
        ("plain, n=5", 5, 0.05, 0.0, False, 0.0),
        ("momentum 0.9 + weight decay, n=7", 7, 0.05, 0.9, False, 0.05),
        ("Nesterov 0.8, n=1", 1, 0.1, 0.8, True, 0.0),
        ("Nesterov 0.9 + weight decay, n=9", 9, 0.05, 0.9, True, 0.01),
    ]:
        p0 = rand(n)
        grads = [rand(n, lo=-2, hi=2) for _ in range(STEPS)]
        after, state = optimizer_run(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=momentum, dampening=0,
                                                                 nesterov=nesterov, weight_decay=wd), p0, grads)
        cases.append({"label": label, "n": n, "lr": lr, "momentum": momentum, "nesterov": nesterov, "weightDecay": wd,
                      "params0": flat(p0), "grads": [flat(g) for g in grads], "params": after,
                      "velocity": flat(state["momentum_buffer"]) if momentum else None})
    return cases


def adam_cases():
    torch.manual_seed(8)
    cases = []
    for label, n, decoupled, lr, wd in [
        ("Adam, n=5", 5, False, 0.01, 0.0),
        ("Adam + L2 weight decay, n=7", 7, False, 0.01, 0.05),
        ("AdamW, n=1", 1, True, 0.02, 0.1),
        ("AdamW, n=9", 9, True, 0.01, 0.05),
    ]:
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        p0 = rand(n)
        grads = [rand(n) for _ in range(STEPS)]
        make = torch.optim.AdamW if decoupled else torch.optim.Adam
        after, state = optimizer_run(lambda ps: make(ps, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd), p0, grads)
        cases.append({"label": label, "n": n, "decoupled": decoupled, "lr": lr, "beta1": beta1, "beta2": beta2,
                      "epsilon": eps, "weightDecay": wd, "params0": flat(p0), "grads": [flat(g) for g in grads],
                      "params": after, "m": flat(state["exp_avg"]), "v": flat(state["exp_avg_sq"])})
    return cases


def write(name, cases):
    """One case per line, so a regenerated file diffs case by case."""
    about = (f"Golden vectors from PyTorch {torch.__version__} (tools/golden-pytorch.py): float32 inputs, "
             "outputs computed in float64, 9 significant digits. Regenerate, do not edit.")
    body = ",\n".join("    " + json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in cases)
    path = os.path.join(OUT_DIR, f"{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n  "about": ' + json.dumps(about) + ',\n  "cases": [\n' + body + "\n  ]\n}\n")
    print(f"{os.path.relpath(path)}: {len(cases)} cases, {os.path.getsize(path):,} bytes")


def main():
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)
    write("matmul", matmul_cases())
    write("conv2d", conv2d_cases())
    write("max-pool", pool_cases("max"))
    write("avg-pool", pool_cases("avg"))
    write("batch-norm", batch_norm_cases())
    write("softmax-cross-entropy", softmax_cross_entropy_cases())
    write("sgd", sgd_cases())
    write("adam", adam_cases())


if __name__ == "__main__":
    main()
