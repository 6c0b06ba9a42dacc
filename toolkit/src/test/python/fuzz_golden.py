#!/usr/bin/env python3
"""Random PyTorch cases for GoldenTest: a check that both engines agree with PyTorch beyond the fixed fixtures.

make_golden.py writes the committed fixtures, chosen by hand. This script draws random shapes and parameters
(channel counts and sizes that send the fast engine down each of its routes, ties, rectangular windows, padding
modes, dilation, ceil mode) and writes cases in the same format, with make_golden's own case builders, into a
directory of its own. GoldenTest reads a file from there instead of the committed one when given
-Dcnnlab.golden.dir:

    /usr/bin/python3 toolkit/src/test/python/fuzz_golden.py /tmp/fuzz --seed 7
    (cd toolkit && mvn -o -q test -Dtest=GoldenTest -Dcnnlab.golden.dir=/tmp/fuzz)

--big draws inputs of 32,768 to 60,000 cells instead, where the fast engine's Java loops split the work over
threads (by planes, or by bands of rows when there are few planes). Each file stays under 3 MB.

Left out on purpose: max-unpooling to an empty output and pooling windows that read only padding (PyTorch 1.13
accepts both; cnnlab rejects them with an error, see the README), and parameters PyTorch itself rejects.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402
import torch  # noqa: E402

MAX_BYTES = 2_900_000
MAX_CASE_FLOATS = 6000

rng = random.Random(1)


def R(a, b):
    return rng.randint(a, b)


def maybe_pair(a, b, p_rect=0.5):
    """A scalar or, with probability p_rect, an (h, w) pair, each drawn from [a, b]."""
    if rng.random() < p_rect:
        return (R(a, b), R(a, b))
    return R(a, b)


def P(v):
    return v if isinstance(v, tuple) else (v, v)


def nfloats(case):
    n = 0
    for part in ("inputs", "outputs"):
        for t in case[part].values():
            n += len(t["data"])
    return n


def spatial():
    u = rng.random()
    if u < 0.6:
        return R(1, 8), R(1, 8)
    if u < 0.9:
        return R(3, 14), R(3, 14)
    return R(8, 20), R(8, 20)


# ------------------------------------------------------------------ generators (return a case or raise)

def gen_conv2d(name):
    N = rng.choice([1, 1, 2, 2, 3, 4])
    C = rng.choice([1, 2, 3, 4, 6, 8, 16])
    K = rng.choice([1, 2, 4, 6, 8, 16])
    H, W = spatial()
    k = maybe_pair(1, 5)
    mode = rng.choice(["zeros", "zeros", "zeros", "reflect", "replicate", "circular"])
    if rng.random() < 0.2:
        stride, padding = 1, "same"
        dilation = maybe_pair(1, 3) if rng.random() < 0.4 else 1
    else:
        stride = maybe_pair(1, 3) if rng.random() < 0.5 else 1
        padding = maybe_pair(0, 3)
        dilation = maybe_pair(1, 3) if rng.random() < 0.3 else 1
    bias = rng.random() < 0.6
    # PyTorch builds the module even when the input is too small; the forward raises, caught by the caller
    return mg.conv2d_case(name, N, C, H, W, K, k, stride=stride, padding=padding, dilation=dilation,
                          padding_mode=mode, bias=bias)


def gen_convt(name):
    N = rng.choice([1, 1, 2, 3, 4])
    C = rng.choice([1, 2, 3, 4, 6, 8, 16])
    K = rng.choice([1, 2, 4, 6, 8, 16])
    u = rng.random()
    H, W = (R(1, 6), R(1, 6)) if u < 0.7 else (R(3, 12), R(3, 12))
    k = maybe_pair(1, 5)
    stride = maybe_pair(1, 3)
    dilation = maybe_pair(1, 3) if rng.random() < 0.35 else 1
    padding = maybe_pair(0, 3)
    s, d = P(stride), P(dilation)
    op = (R(0, max(s[0], d[0]) - 1), R(0, max(s[1], d[1]) - 1)) if rng.random() < 0.5 else 0
    bias = rng.random() < 0.6
    return mg.convt_case(name, N, C, H, W, K, k, stride=stride, padding=padding, output_padding=op,
                         dilation=dilation, bias=bias)


def pool_common(channels):
    N = rng.choice([1, 1, 2, 3])
    C = rng.choice(channels)
    H, W = spatial()
    k = maybe_pair(1, 4)
    kk = P(k)
    stride = None if rng.random() < 0.2 else maybe_pair(1, 4)
    padding = (R(0, kk[0] // 2), R(0, kk[1] // 2)) if rng.random() < 0.6 else 0
    return N, C, H, W, k, stride, padding


def windows_reach_input(size, k, s, p, d, ceil):
    """False if some window has no tap inside the input: PyTorch 1.13 then reads/writes out of bounds
    (heap corruption in max_pool2d's backward), so such cases cannot be generated."""
    span = d * (k - 1) + 1
    num = size + 2 * p - span
    o = (num + (s - 1 if ceil else 0)) // s + 1   # floor division, as PyTorch's div_rtn
    if ceil and (o - 1) * s >= size + p:
        o -= 1
    if o < 1:
        return True  # PyTorch rejects it itself
    return all(any(0 <= i * s - p + t * d < size for t in range(k)) for i in range(o))


def require_windows_reach_input(shape, k, stride, padding, dilation, ceil):
    """Raises unless every window holds an input cell on both axes (see windows_reach_input)."""
    kk, ss, pp, dd = P(k), P(k if stride is None else stride), P(padding), P(dilation)
    if not all(windows_reach_input(shape[2 + a], kk[a], ss[a], pp[a], dd[a], ceil) for a in (0, 1)):
        raise ValueError("a window holds no input cell (PyTorch bug territory)")


def gen_max(name, builder):
    N, C, H, W, k, stride, padding = pool_common([1, 2, 3, 4, 6, 8])
    dilation = maybe_pair(1, 3) if rng.random() < 0.35 else 1
    ceil = rng.random() < 0.5
    require_windows_reach_input((N, C, H, W), k, stride, padding, dilation, ceil)
    return builder(name, (N, C, H, W), k, stride=stride, padding=padding, dilation=dilation,
                   ceil_mode=ceil, integer=rng.random() < 0.4)


def gen_avg(name):
    N, C, H, W, k, stride, padding = pool_common([1, 3, 4, 6, 8])
    return mg.avg_pool_case(name, (N, C, H, W), k, stride=stride, padding=padding,
                            ceil_mode=rng.random() < 0.5, count_include_pad=rng.random() < 0.5,
                            integer=rng.random() < 0.2)


def gen_median(name):
    N, C = rng.choice([1, 2, 3]), rng.choice([1, 2, 3, 4, 6])
    H, W = spatial()
    k = maybe_pair(1, 4)
    if P(k)[0] > H or P(k)[1] > W:
        raise ValueError("window larger than input")
    return mg.median_case(name, (N, C, H, W), k, maybe_pair(1, 3), integer=rng.random() < 0.4)


def gen_unpool(name):
    N, C = rng.choice([1, 2, 3]), rng.choice([1, 2, 3, 4, 6])
    H, W = spatial()
    k = maybe_pair(1, 4)
    kk = P(k)
    stride = maybe_pair(1, 4)
    s = P(stride)
    padding = (R(0, kk[0] // 2), R(0, kk[1] // 2)) if rng.random() < 0.4 else 0
    p = P(padding)
    oh = (H + 2 * p[0] - kk[0]) // s[0] + 1
    ow = (W + 2 * p[1] - kk[1]) // s[1] + 1
    if (oh - 1) * s[0] - 2 * p[0] + kk[0] < 1 or (ow - 1) * s[1] - 2 * p[1] + kk[1] < 1:
        raise ValueError("an empty output: PyTorch returns it, cnnlab rejects it on purpose")
    out = None
    if rng.random() < 0.5:
        # any size PyTorch accepts: strictly between default - stride and default + stride
        dh, dw = (oh - 1) * s[0] - 2 * p[0] + kk[0], (ow - 1) * s[1] - 2 * p[1] + kk[1]
        out = [max(1, R(dh - s[0] + 1, dh + s[0] - 1)), max(1, R(dw - s[1] + 1, dw + s[1] - 1))]
        if rng.random() < 0.5:
            out = [H, W]
    return mg.unpool_case(name, (N, C, H, W), k, stride, padding=padding, output_size=out)


def gen_nearest(name):
    N, C = rng.choice([1, 2, 3]), rng.choice([1, 2, 3, 4, 6])
    H, W = R(1, 7), R(1, 7)
    return mg.unpool_nearest_case(name, (N, C, H, W), maybe_pair(1, 4), maybe_pair(1, 4),
                                  integer=rng.random() < 0.3)


def gen_act(name):
    rank = rng.choice([4, 4, 4, 2, 3, 1, 5])
    shape = tuple(R(1, 5) for _ in range(rank))
    if rank == 4:
        shape = (R(1, 3), R(1, 8), R(1, 7), R(1, 7))
    if torch.Size(shape).numel() < 8:
        shape = shape[:-1] + (shape[-1] + 8,)   # act_input writes 8 special values
    fn = rng.choice(["relu", "leaky_relu", "leaky_relu", "prelu", "prelu", "rrelu_eval"])
    slope = lambda: rng.choice([0.0, -0.0, -0.5, -1.0, -2.0, 1.0, 1.5, 3.0, 0.01, 0.2, 1e-3,
                                round(rng.uniform(-3, 3), 4), rng.uniform(-1, 1)])
    if fn == "relu":
        return mg.act_case(name, shape, fn)
    if fn == "leaky_relu":
        if rng.random() < 0.1:
            return mg.act_case(name, shape, fn)
        return mg.act_case(name, shape, fn, negative_slope=slope())
    if fn == "prelu":
        if rank == 1 or rng.random() < 0.4:
            alpha = torch.tensor([float(slope())], dtype=torch.float32)
        else:
            alpha = torch.tensor([float(slope()) for _ in range(shape[1])], dtype=torch.float32)
        return mg.act_case(name, shape, fn, alpha=alpha)
    lo = slope()
    up = lo if rng.random() < 0.15 else lo + abs(slope())
    return mg.act_case(name, shape, fn, lower=lo, upper=up)


# ------------------------------------------------------------------ BIG mode: inputs of >= 2^15 cells
# (PlaneLoops' multi-threaded paths, bands of rows when there are few planes) and long conv reductions

def big_plane():
    """N, C, H, W with N*C*H*W >= 32768, few or many planes."""
    while True:
        N, C = rng.choice([(1, 1), (1, 2), (1, 3), (2, 3), (1, 8), (4, 8), (2, 16)])
        H = R(8, 200)
        W = max(8, min(220, -(-32768 // (N * C * H)) + R(0, 20)))
        if N * C * H * W >= 32768 and N * C * H * W < 60000:
            return N, C, H, W


def gen_big_conv(name):
    N, C, K = rng.choice([1, 2]), rng.choice([8, 16]), rng.choice([8, 16])
    H, W = R(12, 22), R(12, 22)
    k = maybe_pair(3, 5)
    mode = rng.choice(["zeros", "zeros", "reflect", "circular"])
    if rng.random() < 0.3:
        stride, padding = 1, "same"
    else:
        stride, padding = (1 if rng.random() < 0.6 else maybe_pair(1, 2)), maybe_pair(0, 2)
    return mg.conv2d_case(name, N, C, H, W, K, k, stride=stride, padding=padding,
                          dilation=1 if rng.random() < 0.7 else 2, padding_mode=mode, bias=True)


def gen_big_convt(name):
    N, C, K = rng.choice([1, 2]), rng.choice([8, 16]), rng.choice([8, 16])
    H, W = R(6, 12), R(6, 12)
    s = maybe_pair(1, 2)
    return mg.convt_case(name, N, C, H, W, K, maybe_pair(2, 5), stride=s, padding=maybe_pair(0, 2),
                         output_padding=0, dilation=1, bias=True)


def gen_big_max(name, builder):
    N, C, H, W = big_plane()
    k = maybe_pair(1, 4)
    kk = P(k)
    stride = maybe_pair(1, 4)
    padding = (R(0, kk[0] // 2), R(0, kk[1] // 2)) if rng.random() < 0.5 else 0
    dilation = maybe_pair(1, 2) if rng.random() < 0.3 else 1
    ceil = rng.random() < 0.5
    require_windows_reach_input((N, C, H, W), k, stride, padding, dilation, ceil)
    return builder(name, (N, C, H, W), k, stride=stride, padding=padding, dilation=dilation,
                   ceil_mode=ceil, integer=True)


def gen_big_avg(name):
    N, C, H, W = big_plane()
    k = maybe_pair(1, 4)
    kk = P(k)
    padding = (R(0, kk[0] // 2), R(0, kk[1] // 2)) if rng.random() < 0.5 else 0
    return mg.avg_pool_case(name, (N, C, H, W), k, stride=maybe_pair(2, 4), padding=padding,
                            ceil_mode=rng.random() < 0.5, count_include_pad=rng.random() < 0.5, integer=True)


def gen_big_median(name):
    N, C, H, W = big_plane()
    return mg.median_case(name, (N, C, H, W), maybe_pair(2, 4), maybe_pair(2, 4), integer=True)


def gen_big_unpool(name):
    N, C, H, W = big_plane()
    k = maybe_pair(2, 3)
    out = [H, W] if rng.random() < 0.5 else None
    return mg.unpool_case(name, (N, C, H, W), k, k, padding=0, output_size=out)


def gen_big_nearest(name):
    N, C, H, W = big_plane()
    H, W = max(1, H // 3), max(1, W // 3)
    return mg.unpool_nearest_case(name, (N, C, H, W), maybe_pair(1, 3), maybe_pair(1, 3), integer=True)


def gen_big_act(name):
    N, C, H, W = big_plane()
    shape = (N, C, H // 2 + 1, W // 2 + 1)
    fn = rng.choice(["relu", "leaky_relu", "prelu", "prelu", "rrelu_eval"])
    if fn == "prelu":
        alpha = torch.tensor([rng.uniform(-1, 1) for _ in range(C if rng.random() < 0.7 else 1)],
                             dtype=torch.float32)
        return mg.act_case(name, shape, fn, alpha=alpha)
    if fn == "leaky_relu":
        return mg.act_case(name, shape, fn, negative_slope=rng.uniform(-1, 2))
    if fn == "rrelu_eval":
        return mg.act_case(name, shape, fn, lower=0.1, upper=0.4)
    return mg.act_case(name, shape, fn)


BIG_GENS = [
    ("conv2d", gen_big_conv),
    ("conv_transpose2d", gen_big_convt),
    ("max_pool2d", lambda n: gen_big_max(n, mg.max_pool_case)),
    ("min_pool2d", lambda n: gen_big_max(n, mg.min_pool_case)),
    ("avg_pool2d", gen_big_avg),
    ("median_pool2d", gen_big_median),
    ("max_unpool2d", gen_big_unpool),
    ("unpool_nearest", gen_big_nearest),
    ("activations", gen_big_act),
]

GENS = [
    ("conv2d", gen_conv2d),
    ("conv_transpose2d", gen_convt),
    ("max_pool2d", lambda n: gen_max(n, mg.max_pool_case)),
    ("min_pool2d", lambda n: gen_max(n, mg.min_pool_case)),
    ("avg_pool2d", gen_avg),
    ("median_pool2d", gen_median),
    ("max_unpool2d", gen_unpool),
    ("unpool_nearest", gen_nearest),
    ("activations", gen_act),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="where to write the <op>.json files")
    parser.add_argument("--seed", type=int, default=1, help="draws the parameters (tensors: by case name)")
    parser.add_argument("--count", type=int, default=300, help="cases per op, fewer if a file reaches 3 MB")
    parser.add_argument("--big", action="store_true", help="inputs of 32,768-60,000 cells")
    args = parser.parse_args()
    rng.seed(args.seed)
    mg.OUT_DIR = args.out_dir
    gens, max_floats, prefix = (BIG_GENS, 400_000, "fuzzbig") if args.big else (GENS, MAX_CASE_FLOATS, "fuzz")
    files = []
    for op, gen in gens:
        cases, size, rejected, tries = [], 0, 0, 0
        while len(cases) < args.count and tries < args.count * 50:
            tries += 1
            name = "%s_s%d_%04d" % (prefix, args.seed, len(cases))
            try:
                c = gen(name)
            except Exception:  # PyTorch rejects the parameters, or a case left out on purpose
                rejected += 1
                continue
            if nfloats(c) > max_floats:
                continue
            n = len(json.dumps(c, separators=(",", ":")))
            if size + n > MAX_BYTES:
                break
            size += n
            cases.append(c)
        mg.write_file(op, cases, files)
        print("%-18s %4d cases (%d drawn parameter sets rejected) %.2f MB" % (op, len(cases), rejected, size / 1e6),
              flush=True)


if __name__ == "__main__":
    main()
