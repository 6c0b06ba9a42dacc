#!/usr/bin/env python3
"""Generate the PyTorch "golden" fixtures used by the Java tests of the toolkit.

What it produces
----------------
JSON files in toolkit/src/test/resources/golden/ (the directory is created):

    conv2d.json, conv_transpose2d.json, max_pool2d.json, avg_pool2d.json,
    min_pool2d.json, median_pool2d.json, max_unpool2d.json,
    unpool_nearest.json, activations.json, sizes.json, errors.json, nan.json

Every file is {"op": NAME, "torch_version": torch.__version__, "cases": [...]}
and every case is {"name", "params", "inputs", "outputs"} (errors.json and
nan.json additionally carry a per-case "op").  A tensor is written as
{"shape": [...], "data": [flat row-major list]}; float32 values are written as
the exact double value of the float32 (Python float repr), so they round-trip
exactly; integer tensors (pooling indices) hold ints.  Only nan.json contains
non-finite values, written as the strings "NaN", "Infinity", "-Infinity".
Gradients ("dx", "dweight", "dbias", "dalpha") are computed with autograd as
the gradient of (y * grad_out).sum(), where grad_out is a random upstream
gradient stored in "inputs".

median_pool2d, min_pool2d and unpool_nearest are not PyTorch ops; their
definitions (built from PyTorch primitives) are documented at the functions
below.

The fixtures are generated, never edited by hand.  To regenerate them, run
from the repository root:

    /usr/bin/python3 toolkit/src/test/python/make_golden.py

Output is deterministic (torch.manual_seed per case derived from the case
name, single-threaded CPU torch, sorted keys, fixed formatting), so re-running
produces byte-identical files for the same torch version.
"""

import json
import math
import os
import sys
import warnings
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)
warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))

NAN = float("nan")
INF = float("inf")


# --------------------------------------------------------------------------
# serialisation helpers
# --------------------------------------------------------------------------

class NonFinite(ValueError):
    pass


def _float(v, allow_nonfinite):
    v = float(v)
    if math.isnan(v):
        if not allow_nonfinite:
            raise NonFinite("NaN in data")
        return "NaN"
    if math.isinf(v):
        if not allow_nonfinite:
            raise NonFinite("inf in data")
        return "Infinity" if v > 0 else "-Infinity"
    return v


def T(t, allow_nonfinite=False):
    """Serialise a tensor as {"shape", "data"}."""
    t = t.detach().cpu().contiguous()
    shape = list(t.shape)
    flat = t.reshape(-1)
    if t.dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        data = [int(v) for v in flat.tolist()]
    else:
        assert t.dtype == torch.float32, t.dtype
        data = [_float(v, allow_nonfinite) for v in flat.tolist()]
    return {"shape": shape, "data": data}


def seed_for(op, name):
    torch.manual_seed(zlib.crc32(("%s/%s" % (op, name)).encode("utf-8")))


def pair(v):
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        assert len(v) == 2
        return [int(v[0]), int(v[1])]
    return [int(v), int(v)]


def rand_input(shape, integer=False):
    if integer:
        return torch.randint(-2, 3, shape).to(torch.float32)
    return torch.randn(shape)


def grads(y, wrt, grad_out):
    """Gradients of (y * grad_out).sum() with respect to each tensor in wrt."""
    return torch.autograd.grad((y * grad_out).sum(), wrt)


def write_file(op, cases, files):
    names = [c["name"] for c in cases]
    dup = set(n for n in names if names.count(n) > 1)
    assert not dup, "duplicate case names in %s: %s" % (op, dup)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, op + ".json")
    dumps = lambda o: json.dumps(o, sort_keys=True, allow_nan=False,
                                 separators=(",", ":"), ensure_ascii=True)
    # one case per line keeps diffs readable; top-level keys in sorted order
    lines = ["{\"cases\":["]
    for i, c in enumerate(cases):
        lines.append(dumps(c) + ("," if i + 1 < len(cases) else ""))
    lines.append("],\"op\":%s,\"torch_version\":%s}" % (dumps(op), dumps(torch.__version__)))
    text = "\n".join(lines) + "\n"
    json.loads(text)  # sanity check: valid JSON
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    files.append((op + ".json", len(cases), len(text.encode("utf-8"))))


# --------------------------------------------------------------------------
# 1. conv2d
# --------------------------------------------------------------------------

def conv2d_case(name, N, Cin, H, W, Cout, k, stride=1, padding=0, dilation=1,
                padding_mode="zeros", bias=True):
    seed_for("conv2d", name)
    k = pair(k)
    stride, dilation = pair(stride), pair(dilation)
    padding = padding if padding == "same" else pair(padding)
    x = torch.randn(N, Cin, H, W)
    w = torch.randn(Cout, Cin, k[0], k[1])
    b = torch.randn(Cout) if bias else None
    m = nn.Conv2d(Cin, Cout, tuple(k), stride=tuple(stride),
                  padding=padding if padding == "same" else tuple(padding),
                  dilation=tuple(dilation), bias=bias, padding_mode=padding_mode)
    with torch.no_grad():
        m.weight.copy_(w)
        if bias:
            m.bias.copy_(b)
    xr = x.clone().requires_grad_(True)
    y = m(xr)
    go = torch.randn(y.shape)
    wrt = [xr, m.weight] + ([m.bias] if bias else [])
    g = grads(y, wrt, go)
    inputs = {"x": T(x), "weight": T(w), "grad_out": T(go)}
    outputs = {"y": T(y), "dx": T(g[0]), "dweight": T(g[1])}
    if bias:
        inputs["bias"] = T(b)
        outputs["dbias"] = T(g[2])
    params = {"stride": stride, "padding": padding, "dilation": dilation,
              "padding_mode": padding_mode, "bias": bool(bias)}
    return {"name": name, "params": params, "inputs": inputs, "outputs": outputs}


def make_conv2d():
    C = []
    a = C.append
    # lecture examples
    a(conv2d_case("lecture_8x8_k3_to_6x6", 1, 1, 8, 8, 1, 3, bias=False))
    a(conv2d_case("lecture_9x9_k3_s2_to_4x4", 1, 1, 9, 9, 1, 3, stride=2, bias=False))
    a(conv2d_case("lecture_9x9_k3_s1_to_7x7", 1, 1, 9, 9, 1, 3, stride=1, bias=False))
    a(conv2d_case("lecture_5x5_k3_p1_s1_keeps_size", 1, 1, 5, 5, 1, 3, padding=1))
    # kernel shapes
    a(conv2d_case("k1x1_cin3_cout2", 1, 3, 4, 5, 2, 1))
    a(conv2d_case("k1x1_s2_cin2_cout3", 1, 2, 5, 5, 3, 1, stride=2))
    a(conv2d_case("k2x3_rect", 1, 2, 6, 7, 2, (2, 3)))
    a(conv2d_case("k3x3_n2_cin3_cout4", 2, 3, 6, 6, 4, 3))
    a(conv2d_case("k5x2_rect", 1, 2, 8, 6, 3, (5, 2)))
    a(conv2d_case("k3x1_rect", 1, 1, 6, 5, 2, (3, 1)))
    # strides
    a(conv2d_case("k3_stride_1x2", 1, 2, 7, 8, 2, 3, stride=(1, 2)))
    a(conv2d_case("k2x3_stride_2x3", 1, 1, 9, 9, 2, (2, 3), stride=(2, 3)))
    a(conv2d_case("k3_stride_3x1", 2, 1, 9, 6, 1, 3, stride=(3, 1)))
    a(conv2d_case("k3_s2_10x10_uneven", 1, 1, 10, 10, 1, 3, stride=2))
    a(conv2d_case("k3_s2_8x7_uneven", 1, 2, 8, 7, 2, 3, stride=2, bias=False))
    # padding
    a(conv2d_case("k3_pad_1x0", 1, 2, 5, 5, 2, 3, padding=(1, 0)))
    a(conv2d_case("k3_pad_2x1", 1, 1, 4, 5, 3, 3, padding=(2, 1)))
    a(conv2d_case("k2x3_pad_2x1_stride_2x1", 1, 2, 5, 6, 2, (2, 3), stride=(2, 1), padding=(2, 1)))
    # dilation
    a(conv2d_case("k3_dil_2x1", 1, 1, 8, 6, 2, 3, dilation=(2, 1)))
    a(conv2d_case("k3_dil_2x2", 1, 2, 7, 7, 1, 3, dilation=2))
    a(conv2d_case("k2x3_dil_2x2_pad_1x1_stride_2x1", 1, 1, 8, 8, 2, (2, 3), stride=(2, 1),
                  padding=1, dilation=2))
    # padding "same"
    a(conv2d_case("same_k3", 1, 2, 5, 6, 2, 3, padding="same"))
    a(conv2d_case("same_k5x3", 1, 1, 6, 5, 1, (5, 3), padding="same"))
    a(conv2d_case("same_k2x2_even", 1, 1, 5, 5, 2, 2, padding="same"))
    a(conv2d_case("same_k4x3_even", 1, 2, 6, 5, 1, (4, 3), padding="same"))
    a(conv2d_case("same_k3_dil2", 1, 1, 7, 7, 1, 3, padding="same", dilation=2))
    a(conv2d_case("same_k2_dil2", 1, 1, 5, 6, 1, 2, padding="same", dilation=2))
    a(conv2d_case("same_k4x3_dil_2x1", 1, 1, 8, 6, 1, (4, 3), padding="same", dilation=(2, 1)))
    # reflect / replicate
    a(conv2d_case("reflect_k3_pad_1x1", 1, 2, 5, 5, 2, 3, padding=1, padding_mode="reflect"))
    a(conv2d_case("reflect_k3_pad_2x1", 1, 1, 5, 6, 2, 3, padding=(2, 1), padding_mode="reflect"))
    a(conv2d_case("replicate_k3_pad_1x1", 1, 2, 5, 5, 2, 3, padding=1, padding_mode="replicate"))
    a(conv2d_case("replicate_k3_pad_2x1", 1, 1, 4, 6, 2, 3, padding=(2, 1), padding_mode="replicate"))
    a(conv2d_case("reflect_k3_pad_2x1_stride_2_n2", 2, 1, 6, 5, 1, 3, stride=2, padding=(2, 1),
                  padding_mode="reflect", bias=False))
    a(conv2d_case("replicate_k2x3_pad_1x2_dil2", 1, 1, 5, 5, 1, (2, 3), padding=(1, 2), dilation=2,
                  padding_mode="replicate"))
    a(conv2d_case("same_k4x3_reflect", 1, 1, 6, 5, 1, (4, 3), padding="same", padding_mode="reflect"))
    a(conv2d_case("same_k3_replicate", 1, 1, 4, 4, 1, 3, padding="same", padding_mode="replicate"))
    # input equal to kernel, tiny inputs
    a(conv2d_case("input_equals_kernel_3x3", 1, 2, 3, 3, 3, 3))
    a(conv2d_case("input_equals_kernel_2x3", 2, 1, 2, 3, 1, (2, 3)))
    a(conv2d_case("input_1x1_k1", 1, 1, 1, 1, 1, 1))
    a(conv2d_case("input_1x1_k3_pad1", 1, 1, 1, 1, 1, 3, padding=1))
    a(conv2d_case("n2_cin3_cout4_s2_p1", 2, 3, 5, 5, 4, 3, stride=2, padding=1, bias=False))
    return C


# --------------------------------------------------------------------------
# 2. conv_transpose2d
# --------------------------------------------------------------------------

def convt_case(name, N, Cin, H, W, Cout, k, stride=1, padding=0, output_padding=0,
               dilation=1, bias=True):
    seed_for("conv_transpose2d", name)
    k = pair(k)
    stride, padding = pair(stride), pair(padding)
    output_padding, dilation = pair(output_padding), pair(dilation)
    x = torch.randn(N, Cin, H, W)
    w = torch.randn(Cin, Cout, k[0], k[1])
    b = torch.randn(Cout) if bias else None
    xr, wr = x.clone().requires_grad_(True), w.clone().requires_grad_(True)
    br = b.clone().requires_grad_(True) if bias else None
    y = F.conv_transpose2d(xr, wr, br, stride=stride, padding=padding,
                           output_padding=output_padding, groups=1, dilation=dilation)
    go = torch.randn(y.shape)
    g = grads(y, [xr, wr] + ([br] if bias else []), go)
    inputs = {"x": T(x), "weight": T(w), "grad_out": T(go)}
    outputs = {"y": T(y), "dx": T(g[0]), "dweight": T(g[1])}
    if bias:
        inputs["bias"] = T(b)
        outputs["dbias"] = T(g[2])
    params = {"stride": stride, "padding": padding, "output_padding": output_padding,
              "dilation": dilation, "bias": bool(bias)}
    return {"name": name, "params": params, "inputs": inputs, "outputs": outputs}


def make_conv_transpose2d():
    C = []
    a = C.append
    a(convt_case("k3_s1_p0", 1, 1, 3, 3, 1, 3))
    a(convt_case("k2_s2_p0_upsample", 1, 2, 3, 3, 1, 2, stride=2))
    a(convt_case("k4_s2_p1", 1, 2, 3, 4, 2, 4, stride=2, padding=1))
    a(convt_case("k4_s2_p1_n2_cin3_cout2", 2, 3, 3, 3, 2, 4, stride=2, padding=1, bias=False))
    a(convt_case("k3_s2_p1_op0_dumoulin", 1, 1, 3, 3, 1, 3, stride=2, padding=1))
    a(convt_case("k3_s2_p1_op1_dumoulin", 1, 1, 3, 3, 1, 3, stride=2, padding=1, output_padding=1))
    a(convt_case("k3_s2_op_1x0", 1, 1, 3, 4, 2, 3, stride=2, output_padding=(1, 0)))
    a(convt_case("k3_s1_d2_op1", 1, 1, 3, 3, 1, 3, stride=1, dilation=2, output_padding=1))
    a(convt_case("k2x3_rect", 1, 2, 3, 3, 2, (2, 3)))
    a(convt_case("k3x1_rect_s2", 1, 1, 3, 4, 1, (3, 1), stride=2))
    a(convt_case("k1x2_rect_s_1x2", 1, 2, 4, 3, 1, (1, 2), stride=(1, 2)))
    a(convt_case("k3_stride_2x3", 1, 1, 3, 3, 2, 3, stride=(2, 3)))
    a(convt_case("k3_stride_3x1", 1, 1, 2, 4, 1, 3, stride=(3, 1)))
    a(convt_case("k3_pad_1x0", 1, 2, 4, 4, 1, 3, padding=(1, 0)))
    a(convt_case("k3_pad_0x2_s2", 1, 1, 3, 3, 1, 3, stride=2, padding=(0, 2)))
    a(convt_case("k3_d2", 1, 1, 3, 3, 1, 3, dilation=2))
    a(convt_case("k2x3_d_2x1_s2_p1", 1, 1, 3, 3, 2, (2, 3), stride=2, padding=1, dilation=(2, 1)))
    a(convt_case("k3_s2_p1_op_0x1_d_1x2", 1, 1, 4, 3, 1, 3, stride=2, padding=1,
                 output_padding=(0, 1), dilation=(1, 2)))
    a(convt_case("k1_s1", 1, 3, 3, 3, 2, 1))
    a(convt_case("input_1x1_k3", 1, 1, 1, 1, 2, 3))
    a(convt_case("k5x2_s_2x1_p_2x0", 1, 1, 3, 4, 1, (5, 2), stride=(2, 1), padding=(2, 0)))
    a(convt_case("k4_s3_p2_op2", 1, 1, 3, 3, 1, 4, stride=3, padding=2, output_padding=2, bias=False))
    return C


# --------------------------------------------------------------------------
# 3. max_pool2d  and  5. min_pool2d
# --------------------------------------------------------------------------

LECTURE_X = torch.tensor([[1., 1., 2., 4.], [5., 6., 7., 8.], [3., 2., 1., 0.], [1., 2., 3., 4.]]
                         ).reshape(1, 1, 4, 4)


def pool_params(k, stride, padding, dilation, ceil_mode):
    k = pair(k)
    return {"kernel_size": k,
            "stride": k if stride is None else pair(stride),
            "stride_default": stride is None,
            "padding": pair(padding),
            "dilation": pair(dilation),
            "ceil_mode": bool(ceil_mode)}


def max_pool_case(name, shape, k, stride=None, padding=0, dilation=1, ceil_mode=False,
                  integer=False, x=None):
    seed_for("max_pool2d", name)
    if x is None:
        x = rand_input(shape, integer)
    xr = x.clone().requires_grad_(True)
    y, idx = F.max_pool2d(xr, pair(k), None if stride is None else pair(stride), pair(padding),
                          pair(dilation), ceil_mode=ceil_mode, return_indices=True)
    go = torch.randn(y.shape)
    (dx,) = grads(y, [xr], go)
    return {"name": name, "params": pool_params(k, stride, padding, dilation, ceil_mode),
            "inputs": {"x": T(x), "grad_out": T(go)},
            "outputs": {"y": T(y), "indices": T(idx), "dx": T(dx)}}


def make_max_pool2d():
    C = []
    a = C.append
    a(max_pool_case("lecture_4x4_k2_s1", None, 2, stride=1, x=LECTURE_X))
    a(max_pool_case("lecture_4x4_k2_s2", None, 2, stride=2, x=LECTURE_X))
    a(max_pool_case("lecture_4x4_k2_default_stride", None, 2, x=LECTURE_X))
    a(max_pool_case("k2_s2_4x4", (1, 2, 4, 4), 2, stride=2))
    a(max_pool_case("k2_default_stride_6x6_n2", (2, 1, 6, 6), 2))
    a(max_pool_case("k2_s2_5x5_floor", (1, 1, 5, 5), 2, stride=2))
    a(max_pool_case("k3_s2_7x7", (1, 2, 7, 7), 3, stride=2))
    a(max_pool_case("k3_s2_8x8", (1, 1, 8, 8), 3, stride=2))
    a(max_pool_case("k2_s1_overlap_5x5", (1, 1, 5, 5), 2, stride=1))
    a(max_pool_case("k3_s1_p1_same_size", (1, 2, 5, 5), 3, stride=1, padding=1))
    a(max_pool_case("k3_default_stride_p1", (1, 1, 7, 7), 3, padding=1))
    a(max_pool_case("ceil_5x5_k2_s2_adds_window", (1, 1, 5, 5), 2, stride=2, ceil_mode=True))
    a(max_pool_case("ceil_7x6_k3_s2_adds_window", (1, 1, 7, 6), 3, stride=2, ceil_mode=True))
    a(max_pool_case("ceil_5x5_k2_s2_p1_last_window_dropped", (1, 1, 5, 5), 2, stride=2, padding=1,
                    ceil_mode=True))
    a(max_pool_case("ceil_6x6_k2_s4_p1_last_window_dropped", (1, 1, 6, 6), 2, stride=4, padding=1,
                    ceil_mode=True))
    a(max_pool_case("ceil_6x5_k3_s2_p1", (1, 1, 6, 5), 3, stride=2, padding=1, ceil_mode=True))
    a(max_pool_case("ceil_default_stride_k3_8x8", (1, 1, 8, 8), 3, ceil_mode=True))
    a(max_pool_case("ceil_no_effect_6x6_k2_s2", (1, 1, 6, 6), 2, stride=2, ceil_mode=True))
    a(max_pool_case("dilation_2_k2_s1_6x6", (1, 1, 6, 6), 2, stride=1, dilation=2))
    a(max_pool_case("dilation_2_k3_s2_p1_8x8", (1, 1, 8, 8), 3, stride=2, padding=1, dilation=2))
    a(max_pool_case("dilation_2x1_k2_s1_ceil", (1, 1, 7, 6), 2, stride=2, dilation=(2, 1),
                    ceil_mode=True))
    a(max_pool_case("rect_k2x3_s1x2", (1, 2, 5, 7), (2, 3), stride=(1, 2)))
    a(max_pool_case("rect_k3x2_default_stride_p_1x0", (1, 1, 7, 6), (3, 2), padding=(1, 0)))
    a(max_pool_case("rect_k2x3_s_2x1_p_1x1", (1, 1, 5, 6), (2, 3), stride=(2, 1), padding=1))
    a(max_pool_case("k1_s1_identity", (1, 1, 3, 4), 1, stride=1))
    a(max_pool_case("k_equals_input_3x3", (1, 2, 3, 3), 3))
    # ties: small-integer inputs, many equal values in windows
    a(max_pool_case("ties_int_k2_s2_6x6", (1, 2, 6, 6), 2, stride=2, integer=True))
    a(max_pool_case("ties_int_k2_s1_overlap_5x5", (1, 1, 5, 5), 2, stride=1, integer=True))
    a(max_pool_case("ties_int_k3_s1_p1", (1, 1, 5, 5), 3, stride=1, padding=1, integer=True))
    a(max_pool_case("ties_int_k3_s2_7x7_n2", (2, 1, 7, 7), 3, stride=2, integer=True))
    a(max_pool_case("ties_int_rect_k2x3_s1x2_ceil", (1, 1, 5, 6), (2, 3), stride=(1, 2),
                    ceil_mode=True, integer=True))
    a(max_pool_case("ties_int_dilation2_k2_s1", (1, 1, 5, 5), 2, stride=1, dilation=2, integer=True))
    a(max_pool_case("ties_all_equal_k2_s1_p1", None, 2, stride=1, padding=1,
                    x=torch.full((1, 1, 3, 3), 2.0)))
    a(max_pool_case("ties_all_negative_equal_k3_s1_p1", None, 3, stride=1, padding=1,
                    x=torch.full((1, 1, 3, 3), -1.0)))
    return C


def min_pool_case(name, shape, k, stride=None, padding=0, dilation=1, ceil_mode=False,
                  integer=False, x=None):
    """min_pool2d(x) := -max_pool2d(-x) with the same params (gradient by autograd)."""
    seed_for("min_pool2d", name)
    if x is None:
        x = rand_input(shape, integer)
    xr = x.clone().requires_grad_(True)
    y = -F.max_pool2d(-xr, pair(k), None if stride is None else pair(stride), pair(padding),
                      pair(dilation), ceil_mode=ceil_mode)
    go = torch.randn(y.shape)
    (dx,) = grads(y, [xr], go)
    return {"name": name, "params": pool_params(k, stride, padding, dilation, ceil_mode),
            "inputs": {"x": T(x), "grad_out": T(go)},
            "outputs": {"y": T(y), "dx": T(dx)}}


def make_min_pool2d():
    C = []
    a = C.append
    a(min_pool_case("lecture_4x4_k2_s1", None, 2, stride=1, x=LECTURE_X))
    a(min_pool_case("lecture_4x4_k2_s2", None, 2, stride=2, x=LECTURE_X))
    a(min_pool_case("k2_default_stride_6x6", (1, 2, 6, 6), 2))
    a(min_pool_case("k3_s2_7x7", (1, 1, 7, 7), 3, stride=2))
    a(min_pool_case("k3_s1_p1", (1, 1, 5, 5), 3, stride=1, padding=1))
    a(min_pool_case("ceil_5x5_k2_s2", (1, 1, 5, 5), 2, stride=2, ceil_mode=True))
    a(min_pool_case("dilation_2_k2_s1", (1, 1, 6, 6), 2, stride=1, dilation=2))
    a(min_pool_case("rect_k2x3_s1x2", (1, 1, 5, 7), (2, 3), stride=(1, 2)))
    a(min_pool_case("ties_int_k2_s2", (1, 2, 6, 6), 2, stride=2, integer=True))
    a(min_pool_case("ties_int_k2_s1_overlap", (1, 1, 5, 5), 2, stride=1, integer=True))
    a(min_pool_case("ties_int_k3_s1_p1", (1, 1, 4, 5), 3, stride=1, padding=1, integer=True))
    a(min_pool_case("ties_all_equal_k2_s1_p1", None, 2, stride=1, padding=1,
                    x=torch.full((1, 1, 3, 3), 1.0)))
    return C


# --------------------------------------------------------------------------
# 4. avg_pool2d
# --------------------------------------------------------------------------

def avg_pool_case(name, shape, k, stride=None, padding=0, ceil_mode=False,
                  count_include_pad=True, integer=False, x=None):
    seed_for("avg_pool2d", name)
    if x is None:
        x = rand_input(shape, integer)
    xr = x.clone().requires_grad_(True)
    y = F.avg_pool2d(xr, pair(k), None if stride is None else pair(stride), pair(padding),
                     ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    go = torch.randn(y.shape)
    (dx,) = grads(y, [xr], go)
    k = pair(k)
    params = {"kernel_size": k,
              "stride": k if stride is None else pair(stride),
              "stride_default": stride is None,
              "padding": pair(padding),
              "ceil_mode": bool(ceil_mode),
              "count_include_pad": bool(count_include_pad)}
    return {"name": name, "params": params, "inputs": {"x": T(x), "grad_out": T(go)},
            "outputs": {"y": T(y), "dx": T(dx)}}


def make_avg_pool2d():
    C = []
    a = C.append
    a(avg_pool_case("lecture_4x4_k2_s1", None, 2, stride=1, x=LECTURE_X))
    a(avg_pool_case("lecture_4x4_k2_s2", None, 2, stride=2, x=LECTURE_X))
    a(avg_pool_case("k2_default_stride_4x4_n2", (2, 2, 4, 4), 2))
    a(avg_pool_case("k3_s2_8x8", (1, 1, 8, 8), 3, stride=2))
    a(avg_pool_case("k3_s2_7x7", (1, 2, 7, 7), 3, stride=2))
    a(avg_pool_case("k2_s1_overlap", (1, 1, 5, 5), 2, stride=1))
    for ceil in (False, True):
        for cip in (False, True):
            tag = "ceil%d_cip%d" % (ceil, cip)
            # 6x6 k3 s2 p1: ceil adds a 4th window starting at padded index 5 that
            # extends past the right padding
            a(avg_pool_case("%s_6x6_k3_s2_p1" % tag, (1, 1, 6, 6), 3, stride=2, padding=1,
                            ceil_mode=ceil, count_include_pad=cip))
            # 5x5 k2 s2 p1: ceil would add a window starting in the right padding -> dropped
            a(avg_pool_case("%s_5x5_k2_s2_p1" % tag, (1, 1, 5, 5), 2, stride=2, padding=1,
                            ceil_mode=ceil, count_include_pad=cip))
            # rectangular, padding on one axis only
            a(avg_pool_case("%s_rect_5x6_k3x2_s2x2_p1x0" % tag, (1, 1, 5, 6), (3, 2), stride=2,
                            padding=(1, 0), ceil_mode=ceil, count_include_pad=cip))
    a(avg_pool_case("ceil_5x5_k2_s2_no_pad", (1, 1, 5, 5), 2, stride=2, ceil_mode=True))
    a(avg_pool_case("ceil_default_stride_k3_7x8", (1, 1, 7, 8), 3, ceil_mode=True))
    a(avg_pool_case("k3_s1_p1_cip_true", (1, 2, 4, 4), 3, stride=1, padding=1))
    a(avg_pool_case("k3_s1_p1_cip_false", (1, 2, 4, 4), 3, stride=1, padding=1,
                    count_include_pad=False))
    a(avg_pool_case("rect_k2x3_s1x2", (1, 1, 5, 7), (2, 3), stride=(1, 2)))
    a(avg_pool_case("rect_k3x1_s_3x1", (1, 1, 9, 4), (3, 1), stride=(3, 1)))
    a(avg_pool_case("k_equals_input_3x3", (1, 1, 3, 3), 3))
    return C


# --------------------------------------------------------------------------
# 6. median_pool2d
# --------------------------------------------------------------------------

def median_pool2d(x, k, s):
    """Median of each kh x kw window (no padding, dilation 1, floor mode).

    For an even number of window elements n the median is the MEAN of the two
    middle values of the sorted window, added in float64 and rounded once to
    float32 (so two values near float32's largest do not overflow); for an odd
    n it is the middle value s[n//2].
    """
    N, Cc, H, W = x.shape
    Ho = (H - k[0]) // s[0] + 1
    Wo = (W - k[1]) // s[1] + 1
    cols = F.unfold(x, tuple(k), stride=tuple(s))            # [N, C*kh*kw, L]
    cols = cols.reshape(N, Cc, k[0] * k[1], Ho * Wo)
    srt, _ = torch.sort(cols, dim=2)
    n = k[0] * k[1]
    if n % 2:
        med = srt[:, :, n // 2, :]
    else:
        med = ((srt[:, :, n // 2 - 1, :].double() + srt[:, :, n // 2, :].double()) / 2).float()
    return med.reshape(N, Cc, Ho, Wo)


def median_case(name, shape, k, stride, integer=False, x=None):
    seed_for("median_pool2d", name)
    if x is None:
        x = rand_input(shape, integer)
    k, stride = pair(k), pair(stride)
    y = median_pool2d(x, k, stride)
    return {"name": name, "params": {"kernel_size": k, "stride": stride},
            "inputs": {"x": T(x)}, "outputs": {"y": T(y)}}


def make_median_pool2d():
    C = []
    a = C.append
    a(median_case("lecture_4x4_k2_s1", None, 2, 1, x=LECTURE_X))
    a(median_case("lecture_4x4_k2_s2", None, 2, 2, x=LECTURE_X))
    a(median_case("k2_s2_even_window_6x6", (1, 2, 6, 6), 2, 2))
    a(median_case("k2_s1_even_window_5x5", (1, 1, 5, 5), 2, 1))
    a(median_case("k3_s1_odd_window_5x5", (1, 1, 5, 5), 3, 1))
    a(median_case("k3_s2_odd_window_7x7_n2", (2, 1, 7, 7), 3, 2))
    a(median_case("rect_k2x3_s1_even_window", (1, 1, 4, 6), (2, 3), 1))
    a(median_case("rect_k2x3_s_2x3", (1, 1, 6, 7), (2, 3), (2, 3)))
    a(median_case("rect_k3x1_s_1x2_odd", (1, 1, 5, 5), (3, 1), (1, 2)))
    a(median_case("ties_int_k3_s1", (1, 1, 5, 5), 3, 1, integer=True))
    a(median_case("ties_int_k2_s1", (1, 1, 4, 4), 2, 1, integer=True))
    return C


# --------------------------------------------------------------------------
# 7. max_unpool2d
# --------------------------------------------------------------------------

def unpool_case(name, src_shape, k, stride, padding=0, output_size=None):
    seed_for("max_unpool2d", name)
    k, stride, padding = pair(k), pair(stride), pair(padding)
    src = torch.randn(src_shape)
    x, idx = F.max_pool2d(src, k, stride, padding, return_indices=True)
    y = F.max_unpool2d(x, idx, k, stride, padding, output_size)
    return {"name": name,
            "params": {"kernel_size": k, "stride": stride, "padding": padding,
                       "output_size": pair(output_size)},
            "inputs": {"x": T(x), "indices": T(idx)}, "outputs": {"y": T(y)}}


def make_max_unpool2d():
    C = []
    a = C.append
    a(unpool_case("k2_s2_from_4x4", (1, 1, 4, 4), 2, 2))
    a(unpool_case("k2_s2_from_6x6_n2_c2", (2, 2, 6, 6), 2, 2))
    a(unpool_case("k2_s2_from_5x5_output_size_5x5", (1, 1, 5, 5), 2, 2, output_size=[5, 5]))
    a(unpool_case("k2_s2_from_5x4_output_size_5x4", (1, 2, 5, 4), 2, 2, output_size=[5, 4]))
    a(unpool_case("k3_s2_p1_from_5x5", (1, 1, 5, 5), 3, 2, padding=1))
    a(unpool_case("k3_s2_p1_from_6x6_output_size_6x6", (1, 1, 6, 6), 3, 2, padding=1,
                  output_size=[6, 6]))
    a(unpool_case("k2_s2_p1_from_4x4", (1, 1, 4, 4), 2, 2, padding=1))
    a(unpool_case("k3_s2_from_7x7", (1, 1, 7, 7), 3, 2))
    a(unpool_case("k3_s2_from_6x6_output_size_6x6", (1, 1, 6, 6), 3, 2, output_size=[6, 6]))
    a(unpool_case("k2_s1_overlap_from_4x4", (1, 1, 4, 4), 2, 1))
    a(unpool_case("rect_k2x3_s_2x3_from_4x6", (1, 1, 4, 6), (2, 3), (2, 3)))
    a(unpool_case("rect_k2x3_s_2x3_from_5x7_output_size_5x7", (1, 1, 5, 7), (2, 3), (2, 3),
                  output_size=[5, 7]))
    return C


# --------------------------------------------------------------------------
# 8. unpool_nearest
# --------------------------------------------------------------------------

def unpool_nearest(x, k, s):
    """Lecture's nearest unpooling.

    Each input value x[i, j] is copied into the kh x kw block whose top-left
    corner is (i*sh, j*sw); output size H_out = (H-1)*sh + kh (same for W).
    Where blocks overlap the output is the mean of all contributions;
    positions covered by no block are 0.
    """
    Cc = x.shape[1]
    ones_w = torch.ones(Cc, 1, k[0], k[1])
    total = F.conv_transpose2d(x, ones_w, stride=tuple(s), groups=Cc)
    count = F.conv_transpose2d(torch.ones_like(x), ones_w, stride=tuple(s), groups=Cc)
    return torch.where(count > 0, total / count.clamp_min(1), torch.zeros_like(total))


def unpool_nearest_case(name, shape, k, stride, integer=False):
    seed_for("unpool_nearest", name)
    x = rand_input(shape, integer)
    k, stride = pair(k), pair(stride)
    y = unpool_nearest(x, k, stride)
    return {"name": name, "params": {"kernel_size": k, "stride": stride},
            "inputs": {"x": T(x)}, "outputs": {"y": T(y)}}


def make_unpool_nearest():
    C = []
    a = C.append
    a(unpool_nearest_case("k2_s2_pure_copy", (1, 1, 2, 2), 2, 2))
    a(unpool_nearest_case("k2_s2_pure_copy_n2_c2", (2, 2, 3, 3), 2, 2))
    a(unpool_nearest_case("k2_s1_overlap_mean", (1, 1, 3, 3), 2, 1))
    a(unpool_nearest_case("k3_s2_overlap_mean", (1, 2, 3, 3), 3, 2))
    a(unpool_nearest_case("k2_s3_gaps", (1, 1, 3, 3), 2, 3))
    a(unpool_nearest_case("rect_k2x3_s_2x3_copy", (1, 1, 2, 3), (2, 3), (2, 3)))
    a(unpool_nearest_case("rect_k3x2_s_1x2", (1, 1, 3, 2), (3, 2), (1, 2)))
    a(unpool_nearest_case("rect_k2x1_s_1x3_overlap_and_gaps", (1, 1, 3, 3), (2, 1), (1, 3)))
    a(unpool_nearest_case("k1_s1_identity", (1, 1, 3, 4), 1, 1))
    a(unpool_nearest_case("ties_int_k3_s1", (1, 1, 3, 3), 3, 1, integer=True))
    return C


# --------------------------------------------------------------------------
# 9. activations
# --------------------------------------------------------------------------

SPECIAL_VALUES = [0.0, -0.0, 1e-30, -1e-30, 1e-40, -1e-40, 1e-7, -1e-7]


def act_input(shape):
    x = torch.randn(shape).reshape(-1)
    n = x.numel()
    # deterministic positions for the special values (spread across the tensor)
    for j, v in enumerate(SPECIAL_VALUES):
        x[(j * 7 + 3) % n] = v
    return x.reshape(shape)


def act_case(name, shape, fn, **kw):
    seed_for("activations", name)
    x = act_input(shape)
    xr = x.clone().requires_grad_(True)
    params = {"fn": fn}
    wrt = [xr]
    if fn == "relu":
        y = F.relu(xr)
    elif fn == "leaky_relu":
        ns = kw.get("negative_slope", 0.01)
        params["negative_slope"] = ns
        y = F.leaky_relu(xr, ns) if "negative_slope" in kw else F.leaky_relu(xr)
    elif fn == "prelu":
        alpha = kw["alpha"]
        ar = alpha.clone().requires_grad_(True)
        params["alpha"] = T(alpha)
        wrt.append(ar)
        y = F.prelu(xr, ar)
    elif fn == "rrelu_eval":
        lo, up = kw.get("lower", 1.0 / 8), kw.get("upper", 1.0 / 3)
        params["lower"], params["upper"] = lo, up
        y = F.rrelu(xr, lo, up, training=False)
    else:
        raise ValueError(fn)
    go = torch.randn(y.shape)
    g = grads(y, wrt, go)
    outputs = {"y": T(y), "dx": T(g[0])}
    if fn == "prelu":
        outputs["dalpha"] = T(g[1])
    return {"name": name, "params": params, "inputs": {"x": T(x), "grad_out": T(go)},
            "outputs": outputs}


def make_activations():
    C = []
    a = C.append
    for shape in ((2, 3, 4, 4), (1, 1, 3, 3)):
        s = "x".join(str(d) for d in shape)
        a(act_case("relu_" + s, shape, "relu"))
        a(act_case("leaky_relu_default_" + s, shape, "leaky_relu"))
        a(act_case("leaky_relu_0.2_" + s, shape, "leaky_relu", negative_slope=0.2))
        a(act_case("prelu_alpha1_" + s, shape, "prelu", alpha=torch.tensor([0.25])))
        seed_for("activations", "alpha_c_" + s)
        a(act_case("prelu_alphaC_" + s, shape, "prelu",
                   alpha=(torch.rand(shape[1]) * 0.5).to(torch.float32)))
        a(act_case("rrelu_eval_default_" + s, shape, "rrelu_eval"))
        a(act_case("rrelu_eval_0.1_0.3_" + s, shape, "rrelu_eval", lower=0.1, upper=0.3))
    a(act_case("prelu_alpha1_negative_1x1x3x3", (1, 1, 3, 3), "prelu", alpha=torch.tensor([-0.5])))
    return C


# --------------------------------------------------------------------------
# 10. sizes
# --------------------------------------------------------------------------

def conv_size(i, k, s, p, d):
    return F.conv2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), None, s, p, d).shape[-1]


def pool_size(i, k, s, p, d, ceil):
    return F.max_pool2d(torch.zeros(1, 1, i, i), k, s, p, d, ceil_mode=ceil).shape[-1]


def convt_size(i, k, s, p, op, d):
    return F.conv_transpose2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), None, s, p,
                              op, 1, d).shape[-1]


def make_sizes():
    rows = []
    seen = set()

    def add(kind, name=None, **p):
        key = (kind,) + tuple(sorted(p.items()))
        if key in seen:
            return
        try:
            if kind == "conv":
                o = conv_size(p["input"], p["kernel"], p["stride"], p["padding"], p["dilation"])
            elif kind == "pool":
                o = pool_size(p["input"], p["kernel"], p["stride"], p["padding"], p["dilation"],
                              p["ceil_mode"])
            else:
                o = convt_size(p["input"], p["kernel"], p["stride"], p["padding"],
                               p["output_padding"], p["dilation"])
        except RuntimeError:
            return False
        if o <= 0:
            return False
        seen.add(key)
        if name is None:
            name = kind + "_" + "_".join("%s%s" % (kk[0:2] if kk != "output_padding" else "op",
                                                  int(v)) for kk, v in sorted(p.items()))
        params = dict(p, kind=kind)
        rows.append({"name": name, "params": params, "inputs": {}, "outputs": {"size": int(o)}})
        return True

    # Dumoulin & Visin, "A guide to convolution arithmetic for deep learning"
    def dv_conv(n, i, k, s, p, d=1):
        assert add("conv", "dumoulin_" + n, input=i, kernel=k, stride=s, padding=p, dilation=d)

    def dv_convt(n, i, k, s, p, op=0, d=1):
        assert add("conv_transpose", "dumoulin_transposed_" + n, input=i, kernel=k, stride=s, padding=p,
                   output_padding=op, dilation=d)

    dv_conv("no_pad_unit_stride_i4_k3", 4, 3, 1, 0)
    dv_conv("arbitrary_pad_i5_k4_p2", 5, 4, 1, 2)
    dv_conv("half_pad_i5_k3_p1", 5, 3, 1, 1)
    dv_conv("full_pad_i5_k3_p2", 5, 3, 1, 2)
    dv_conv("no_pad_strided_i5_k3_s2", 5, 3, 2, 0)
    dv_conv("pad_strided_i5_k3_s2_p1", 5, 3, 2, 1)
    dv_conv("pad_strided_odd_i6_k3_s2_p1", 6, 3, 2, 1)
    dv_conv("dilated_i7_k3_d2", 7, 3, 1, 0, 2)
    dv_convt("no_pad_unit_stride_i2_k3", 2, 3, 1, 0)
    dv_convt("transpose_of_arbitrary_pad_i6_k4_p2", 6, 4, 1, 2)
    dv_convt("half_pad_i5_k3_p1", 5, 3, 1, 1)
    dv_convt("full_pad_i7_k3_p2", 7, 3, 1, 2)
    dv_convt("no_pad_strided_i2_k3_s2", 2, 3, 2, 0)
    dv_convt("pad_strided_i3_k3_s2_p1_op0", 3, 3, 2, 1, 0)
    dv_convt("pad_strided_odd_i3_k3_s2_p1_op1", 3, 3, 2, 1, 1)
    dv_convt("dilated_i3_k3_d2", 3, 3, 1, 0, 0, 2)
    # ceil_mode examples (added window / dropped window)
    for i, k, s, p in ((5, 2, 2, 0), (7, 3, 2, 0), (5, 2, 2, 1), (6, 2, 4, 1), (3, 2, 2, 1),
                       (4, 1, 2, 0), (6, 3, 2, 1), (8, 3, 3, 0)):
        for ceil in (False, True):
            add("pool", input=i, kernel=k, stride=s, padding=p, dilation=1, ceil_mode=ceil)

    # deterministic pseudo-random sweep over accepted configurations
    import random
    rng = random.Random(20240229)
    targets = {"conv": 30, "pool": 30, "conv_transpose": 20}
    counts = {kk: sum(1 for r in rows if r["params"]["kind"] == kk) for kk in targets}
    tries = 0
    while any(counts[kk] < targets[kk] for kk in targets):
        tries += 1
        assert tries < 100000
        kind = rng.choice(sorted(targets))
        if counts[kind] >= targets[kind]:
            continue
        i, k, s = rng.randint(1, 12), rng.randint(1, 5), rng.randint(1, 4)
        p, d = rng.randint(0, 2), rng.choice([1, 1, 2, 3])
        if kind == "conv":
            ok = add("conv", input=i, kernel=k, stride=s, padding=p, dilation=d)
        elif kind == "pool":
            ok = add("pool", input=i, kernel=k, stride=s, padding=p, dilation=d,
                     ceil_mode=rng.random() < 0.5)
        else:
            op = rng.randint(0, max(s, d) - 1)
            ok = add("conv_transpose", input=i, kernel=k, stride=s, padding=p,
                     output_padding=op, dilation=d)
        if ok:
            counts[kind] += 1
    return rows


# --------------------------------------------------------------------------
# 11. errors
# --------------------------------------------------------------------------

def run_error_case(op, params, inputs):
    """Run the op in torch; return None if accepted, else the exception."""
    torch.manual_seed(0)
    xs = inputs["x_shape"]
    x = torch.randn(xs)
    try:
        if op == "conv2d":
            ws = inputs["weight_shape"]
            bias = params["bias"]
            pad = params["padding"]
            m = nn.Conv2d(ws[1], ws[0], (ws[2], ws[3]), stride=tuple(params["stride"]),
                          padding=pad if isinstance(pad, str) else tuple(pad),
                          dilation=tuple(params["dilation"]), bias=bias,
                          padding_mode=params["padding_mode"])
            m.weight = nn.Parameter(torch.randn(ws))
            if bias:
                m.bias = nn.Parameter(torch.randn(inputs["bias_shape"]))
            m(x)
        elif op == "conv_transpose2d":
            ws = inputs["weight_shape"]
            b = torch.randn(inputs["bias_shape"]) if params["bias"] else None
            F.conv_transpose2d(x, torch.randn(ws), b, stride=params["stride"],
                               padding=params["padding"], output_padding=params["output_padding"],
                               groups=1, dilation=params["dilation"])
        elif op == "max_pool2d":
            F.max_pool2d(x, params["kernel_size"], params["stride"], params["padding"],
                         params["dilation"], ceil_mode=params["ceil_mode"])
        elif op == "avg_pool2d":
            F.avg_pool2d(x, params["kernel_size"], params["stride"], params["padding"],
                         ceil_mode=params["ceil_mode"],
                         count_include_pad=params["count_include_pad"])
        elif op == "max_unpool2d":
            idx = torch.zeros(inputs["indices_shape"], dtype=torch.int64)
            if "indices_max" in inputs:
                idx.view(-1)[0] = inputs["indices_max"]
            F.max_unpool2d(x, idx, params["kernel_size"], params["stride"], params["padding"],
                           params["output_size"])
        else:
            raise ValueError(op)
    except (RuntimeError, ValueError, IndexError, TypeError) as e:
        return e
    return None


def make_errors():
    C = []

    def conv(name, x, w, b=None, stride=1, padding=0, dilation=1, padding_mode="zeros",
             expect_accept=False):
        params = {"stride": pair(stride), "padding": padding if padding == "same" else pair(padding),
                  "dilation": pair(dilation), "padding_mode": padding_mode, "bias": b is not None}
        inputs = {"x_shape": list(x), "weight_shape": list(w)}
        if b is not None:
            inputs["bias_shape"] = list(b)
        add(name, "conv2d", params, inputs, expect_accept)

    def convt(name, x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1,
              expect_accept=False):
        params = {"stride": pair(stride), "padding": pair(padding),
                  "output_padding": pair(output_padding), "dilation": pair(dilation),
                  "bias": b is not None}
        inputs = {"x_shape": list(x), "weight_shape": list(w)}
        if b is not None:
            inputs["bias_shape"] = list(b)
        add(name, "conv_transpose2d", params, inputs, expect_accept)

    def maxp(name, x, k, stride=None, padding=0, dilation=1, ceil_mode=False, expect_accept=False):
        params = {"kernel_size": pair(k), "stride": pair(k if stride is None else stride),
                  "padding": pair(padding), "dilation": pair(dilation), "ceil_mode": ceil_mode}
        add(name, "max_pool2d", params, {"x_shape": list(x)}, expect_accept)

    def avgp(name, x, k, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
             expect_accept=False):
        params = {"kernel_size": pair(k), "stride": pair(k if stride is None else stride),
                  "padding": pair(padding), "ceil_mode": ceil_mode,
                  "count_include_pad": count_include_pad}
        add(name, "avg_pool2d", params, {"x_shape": list(x)}, expect_accept)

    def unpool(name, x, indices_shape, k, stride, padding=0, output_size=None, indices_max=None,
               expect_accept=False):
        params = {"kernel_size": pair(k), "stride": pair(stride), "padding": pair(padding),
                  "output_size": pair(output_size)}
        inputs = {"x_shape": list(x), "indices_shape": list(indices_shape)}
        if indices_max is not None:
            inputs["indices_max"] = int(indices_max)
        add(name, "max_unpool2d", params, inputs, expect_accept)

    def add(name, op, params, inputs, expect_accept):
        e = run_error_case(op, params, inputs)
        case = {"name": name, "op": op, "params": params, "inputs": inputs}
        if e is None:
            if not expect_accept:
                raise AssertionError("torch unexpectedly accepted error case " + name)
            case["torch_accepts"] = True
        else:
            if expect_accept:
                raise AssertionError("torch unexpectedly rejected %s: %s" % (name, e))
            case["torch_accepts"] = False
            msg = str(e).strip().splitlines()[0].strip()
            case["torch_error"] = msg
        C.append(case)

    # conv2d
    conv("conv2d_channel_mismatch", (1, 3, 5, 5), (2, 2, 3, 3))
    conv("conv2d_kernel_larger_than_input", (1, 1, 2, 2), (1, 1, 3, 3))
    conv("conv2d_kernel_larger_than_padded_input", (1, 1, 2, 4), (1, 1, 5, 3), padding=(1, 0))
    conv("conv2d_dilated_kernel_larger_than_input", (1, 1, 4, 4), (1, 1, 3, 3), dilation=2)
    conv("conv2d_stride_zero", (1, 1, 5, 5), (1, 1, 3, 3), stride=0)
    conv("conv2d_stride_zero_one_axis", (1, 1, 5, 5), (1, 1, 3, 3), stride=(1, 0))
    conv("conv2d_negative_padding", (1, 1, 5, 5), (1, 1, 3, 3), padding=(-1, 0))
    conv("conv2d_zero_dilation", (1, 1, 5, 5), (1, 1, 3, 3), dilation=0)
    conv("conv2d_negative_dilation", (1, 1, 5, 5), (1, 1, 3, 3), dilation=(1, -1))
    conv("conv2d_bias_wrong_length", (1, 1, 5, 5), (2, 1, 3, 3), b=(3,))
    conv("conv2d_same_with_stride_2", (1, 1, 5, 5), (1, 1, 3, 3), stride=2, padding="same")
    conv("conv2d_reflect_padding_equal_to_input", (1, 1, 3, 3), (1, 1, 3, 3), padding=3,
         padding_mode="reflect")
    conv("conv2d_reflect_padding_larger_than_input_one_axis", (1, 1, 2, 5), (1, 1, 3, 3),
         padding=(2, 1), padding_mode="reflect")
    conv("conv2d_3d_input_unbatched", (1, 5, 5), (1, 1, 3, 3), expect_accept=True)
    conv("conv2d_5d_input", (1, 1, 1, 5, 5), (1, 1, 3, 3))
    conv("conv2d_2d_input", (5, 5), (1, 1, 3, 3))
    # conv_transpose2d
    convt("conv_transpose2d_channel_mismatch", (1, 2, 3, 3), (3, 1, 3, 3))
    convt("conv_transpose2d_output_padding_equal_stride_s2_d1_op2", (1, 1, 3, 3), (1, 1, 3, 3),
          stride=2, output_padding=2)
    convt("conv_transpose2d_output_padding_s1_d1_op1", (1, 1, 3, 3), (1, 1, 3, 3),
          output_padding=1)
    convt("conv_transpose2d_output_padding_one_axis_s_2x1_op_0x1", (1, 1, 3, 3), (1, 1, 3, 3),
          stride=(2, 1), output_padding=(0, 1))
    convt("conv_transpose2d_stride_zero", (1, 1, 3, 3), (1, 1, 3, 3), stride=0)
    convt("conv_transpose2d_negative_padding", (1, 1, 3, 3), (1, 1, 3, 3), padding=-1)
    convt("conv_transpose2d_zero_dilation", (1, 1, 3, 3), (1, 1, 3, 3), dilation=0)
    convt("conv_transpose2d_bias_wrong_length", (1, 1, 3, 3), (1, 2, 3, 3), b=(1,))
    convt("conv_transpose2d_padding_too_large_empty_output", (1, 1, 2, 2), (1, 1, 3, 3), padding=2)
    convt("conv_transpose2d_5d_input", (1, 1, 1, 3, 3), (1, 1, 3, 3))
    # max_pool2d
    maxp("max_pool2d_pad_over_half_k2_p2", (1, 1, 6, 6), 2, padding=2)
    maxp("max_pool2d_pad_over_half_k3_p2", (1, 1, 6, 6), 3, padding=2)
    maxp("max_pool2d_pad_over_half_one_axis_k_3x2_p_1x2", (1, 1, 6, 6), (3, 2), padding=(1, 2))
    maxp("max_pool2d_window_larger_than_input", (1, 1, 2, 2), 3)
    maxp("max_pool2d_dilated_window_larger_than_input", (1, 1, 4, 4), 3, stride=1, dilation=2)
    maxp("max_pool2d_stride_zero", (1, 1, 4, 4), 2, stride=0)
    maxp("max_pool2d_negative_padding", (1, 1, 4, 4), 2, padding=-1)
    maxp("max_pool2d_zero_dilation", (1, 1, 4, 4), 2, dilation=0)
    maxp("max_pool2d_kernel_zero", (1, 1, 4, 4), 0, stride=1)
    maxp("max_pool2d_3d_input_unbatched", (1, 4, 4), 2, expect_accept=True)
    maxp("max_pool2d_5d_input", (1, 1, 1, 4, 4), 2)
    # avg_pool2d
    avgp("avg_pool2d_pad_over_half_k2_p2", (1, 1, 6, 6), 2, padding=2)
    avgp("avg_pool2d_pad_over_half_k3_p2", (1, 1, 6, 6), 3, padding=2)
    avgp("avg_pool2d_window_larger_than_input", (1, 1, 2, 2), 3)
    avgp("avg_pool2d_stride_zero", (1, 1, 4, 4), 2, stride=0)
    avgp("avg_pool2d_3d_input_unbatched", (1, 4, 4), 2, expect_accept=True)
    # max_unpool2d
    unpool("max_unpool2d_indices_shape_differs", (1, 1, 2, 2), (1, 1, 2, 3), 2, 2)
    unpool("max_unpool2d_index_out_of_range", (1, 1, 2, 2), (1, 1, 2, 2), 2, 2, indices_max=16)
    unpool("max_unpool2d_index_negative", (1, 1, 2, 2), (1, 1, 2, 2), 2, 2, indices_max=-1)
    unpool("max_unpool2d_index_out_of_range_for_output_size", (1, 1, 2, 2), (1, 1, 2, 2), 2, 2,
           output_size=[3, 3], indices_max=9)
    unpool("max_unpool2d_output_size_too_large", (1, 1, 2, 2), (1, 1, 2, 2), 2, 2,
           output_size=[6, 4])
    unpool("max_unpool2d_output_size_too_small", (1, 1, 2, 2), (1, 1, 2, 2), 2, 2,
           output_size=[4, 2])
    unpool("max_unpool2d_5d_input", (1, 1, 1, 2, 2), (1, 1, 1, 2, 2), 2, 2)
    return C


# --------------------------------------------------------------------------
# 12. nan
# --------------------------------------------------------------------------

def make_nan():
    C = []
    TN = lambda t: T(t, allow_nonfinite=True)

    # conv2d: one NaN in x
    name = "conv2d_nan_in_x_k3"
    seed_for("nan", name)
    x = torch.randn(1, 1, 6, 6)
    x[0, 0, 1, 4] = NAN
    w, b = torch.randn(2, 1, 3, 3), torch.randn(2)
    xr, wr, br = (t.clone().requires_grad_(True) for t in (x, w, b))
    y = F.conv2d(xr, wr, br)
    go = torch.randn(y.shape)
    dx, dw, db = grads(y, [xr, wr, br], go)
    C.append({"name": name, "op": "conv2d",
              "params": {"stride": [1, 1], "padding": [0, 0], "dilation": [1, 1],
                         "padding_mode": "zeros", "bias": True},
              "inputs": {"x": TN(x), "weight": TN(w), "bias": TN(b), "grad_out": TN(go)},
              "outputs": {"y": TN(y), "dx": TN(dx), "dweight": TN(dw), "dbias": TN(db)}})

    def maxp(name, x, k, stride, padding=0):
        seed_for("nan", name)
        xr = x.clone().requires_grad_(True)
        y, idx = F.max_pool2d(xr, k, stride, padding, return_indices=True)
        go = torch.randn(y.shape)
        (dx,) = grads(y, [xr], go)
        C.append({"name": name, "op": "max_pool2d",
                  "params": {"kernel_size": pair(k), "stride": pair(stride),
                             "stride_default": False, "padding": pair(padding),
                             "dilation": [1, 1], "ceil_mode": False},
                  "inputs": {"x": TN(x), "grad_out": TN(go)},
                  "outputs": {"y": TN(y), "indices": TN(idx), "dx": TN(dx)}})

    seed_for("nan", "max_pool2d_x1")
    x = torch.randn(1, 1, 4, 4)
    x[0, 0, 0, 1] = NAN
    maxp("max_pool2d_nan_in_window_k2_s2", x, 2, 2)
    maxp("max_pool2d_nan_in_overlapping_windows_k2_s1", x, 2, 1)
    seed_for("nan", "max_pool2d_x2")
    x = torch.randn(1, 1, 4, 4)
    x[0, 0, 0, 0] = NAN
    x[0, 0, 1, 1] = NAN
    x[0, 0, 0, 1] = INF
    x[0, 0, 2, 3] = NAN
    x[0, 0, 3, 2] = INF
    maxp("max_pool2d_two_nans_and_inf_in_window_k2_s2", x, 2, 2)
    maxp("max_pool2d_all_neg_inf_k2_s1_p1", torch.full((1, 1, 3, 3), -INF), 2, 1, 1)

    # relu / leaky_relu with NaN and infinities
    for fn in ("relu", "leaky_relu"):
        name = fn + "_nan_inf"
        seed_for("nan", name)
        x = torch.randn(1, 1, 3, 3)
        x[0, 0, 0, 0] = NAN
        x[0, 0, 1, 1] = INF
        x[0, 0, 2, 2] = -INF
        xr = x.clone().requires_grad_(True)
        y = F.relu(xr) if fn == "relu" else F.leaky_relu(xr, 0.2)
        go = torch.randn(y.shape)
        (dx,) = grads(y, [xr], go)
        params = {"fn": fn}
        if fn == "leaky_relu":
            params["negative_slope"] = 0.2
        C.append({"name": name, "op": "activations", "params": params,
                  "inputs": {"x": TN(x), "grad_out": TN(go)},
                  "outputs": {"y": TN(y), "dx": TN(dx)}})

    # avg_pool2d with NaN
    name = "avg_pool2d_nan_k2_s1"
    seed_for("nan", name)
    x = torch.randn(1, 1, 4, 4)
    x[0, 0, 2, 1] = NAN
    xr = x.clone().requires_grad_(True)
    y = F.avg_pool2d(xr, 2, 1)
    go = torch.randn(y.shape)
    (dx,) = grads(y, [xr], go)
    C.append({"name": name, "op": "avg_pool2d",
              "params": {"kernel_size": [2, 2], "stride": [1, 1], "stride_default": False,
                         "padding": [0, 0], "ceil_mode": False, "count_include_pad": True},
              "inputs": {"x": TN(x), "grad_out": TN(go)},
              "outputs": {"y": TN(y), "dx": TN(dx)}})
    return C


# --------------------------------------------------------------------------

def main():
    files = []
    write_file("conv2d", make_conv2d(), files)
    write_file("conv_transpose2d", make_conv_transpose2d(), files)
    write_file("max_pool2d", make_max_pool2d(), files)
    write_file("avg_pool2d", make_avg_pool2d(), files)
    write_file("min_pool2d", make_min_pool2d(), files)
    write_file("median_pool2d", make_median_pool2d(), files)
    write_file("max_unpool2d", make_max_unpool2d(), files)
    write_file("unpool_nearest", make_unpool_nearest(), files)
    write_file("activations", make_activations(), files)
    write_file("sizes", make_sizes(), files)
    write_file("errors", make_errors(), files)
    write_file("nan", make_nan(), files)

    total = 0
    print("golden fixtures written to %s (torch %s)" % (OUT_DIR, torch.__version__))
    print("%-24s %6s %10s" % ("file", "cases", "KB"))
    for fname, n, size in files:
        total += size
        print("%-24s %6d %10.1f" % (fname, n, size / 1024.0))
    print("%-24s %6d %10.1f" % ("TOTAL", sum(f[1] for f in files), total / 1024.0))
    if total > 3 * 1024 * 1024:
        print("WARNING: total fixture size exceeds 3 MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
