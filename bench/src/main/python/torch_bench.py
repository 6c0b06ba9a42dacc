#!/usr/bin/env python3
"""PyTorch's side of ./cnnlab bench: the same cases, the same thread count, timed the same way.

Reads one case per line on stdin (``NAME KIND INPUT WEIGHT STRIDE PADDING``, written by cnnlab.bench.Case.spec),
prints ``RESULT NAME PASS MS`` lines (the median call after warm-up) and ``INFO ...`` lines; at the end of its
input, with --lenet-images, ``RESULT LENET EPOCH MS`` for each LeNet-5 epoch (scaled to 60,000 images).
Backward is the autograd kernel alone (aten's *_backward functions), given what the forward saved.
For the pooling and relu cases it is also timed writing into the next of a ring of preallocated outputs
(``ROTATING NAME backward MS OUTPUTS``, before that case's backward RESULT line): cnnlab's outputs come back only
after a collection, so they rotate through --ring-mb of blocks (OutputMemory's budget), while PyTorch's next
output reuses the memory its last one freed, still in cache. The ring shows what PyTorch's kernel costs in
cnnlab's memory conditions.

    /usr/bin/python3 torch_bench.py --threads 2 [--quick] [--ring-mb 512]
        [--lenet-images N --lenet-epochs E --images IDX.gz --labels IDX.gz]
"""
import argparse
import gzip
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

aten = torch.ops.aten


def median_ms(fn, warmup_s, iters, iter_s):
    """Like the JMH side: warm up for warmup_s, then time single calls for iters * iter_s; the median call."""
    end = time.perf_counter() + warmup_s
    fn()
    while time.perf_counter() < end:
        fn()
    times = []
    end = time.perf_counter() + iters * iter_s
    while not times or time.perf_counter() < end:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000.0 * statistics.median(times)


def dims(text):
    return [int(v) for v in text.split("x")]


def rotating(bwd_into, shape, ring_mb):
    """bwd_into(out) writing into the next of enough preallocated tensors to fill ring_mb MB (at least 2)."""
    count = max(2, (ring_mb << 20) // (4 * int(np.prod(shape))))
    ring = [torch.zeros(shape) for _ in range(count)]
    turn = [0]

    def fn():
        turn[0] = (turn[0] + 1) % count
        return bwd_into(ring[turn[0]])
    return fn, count


def case_fns(kind, x_shape, w_shape, stride, padding, ring_mb):
    """(forward, backward, backward into a ring of outputs as (fn, count) or None) for one case."""
    g = torch.Generator().manual_seed(42)
    ring = None
    x = torch.randn(*x_shape, generator=g)
    if kind in ("CONV", "CONV_TRANSPOSE"):
        transposed = kind == "CONV_TRANSPOSE"
        out_channels = w_shape[1] if transposed else w_shape[0]
        conv = F.conv_transpose2d if transposed else F.conv2d
        w = torch.randn(*w_shape, generator=g) * 0.1
        b = torch.randn(out_channels, generator=g)
        fwd = lambda: conv(x, w, b, stride, padding)
        y = fwd()
        go = torch.randn(y.shape, generator=g)
        bwd = lambda: aten.convolution_backward(go, x, w, [out_channels], [stride] * 2, [padding] * 2, [1, 1],
                                                transposed, [0, 0], 1, [True, True, True])
    elif kind == "MAX_POOL":
        k = w_shape[0]
        fwd = lambda: F.max_pool2d(x, k, stride, padding)
        y, idx = F.max_pool2d(x, k, stride, padding, return_indices=True)
        go = torch.randn(y.shape, generator=g)
        bwd = lambda: aten.max_pool2d_with_indices_backward(go, x, [k, k], [stride] * 2, [padding] * 2, [1, 1],
                                                            False, idx)
        ring = rotating(lambda out: aten.max_pool2d_with_indices_backward.grad_input(
            go, x, [k, k], [stride] * 2, [padding] * 2, [1, 1], False, idx, grad_input=out), x.shape, ring_mb)
    elif kind == "AVG_POOL":
        k = w_shape[0]
        fwd = lambda: F.avg_pool2d(x, k, stride, padding)
        y = fwd()
        go = torch.randn(y.shape, generator=g)
        bwd = lambda: aten.avg_pool2d_backward(go, x, [k, k], [stride] * 2, [padding] * 2, False, True, None)
        ring = rotating(lambda out: aten.avg_pool2d_backward.grad_input(
            go, x, [k, k], [stride] * 2, [padding] * 2, False, True, None, grad_input=out), x.shape, ring_mb)
    elif kind == "RELU":
        fwd = lambda: F.relu(x)
        go = torch.randn(x.shape, generator=g)
        bwd = lambda: aten.threshold_backward(go, x, 0)
        ring = rotating(lambda out: aten.threshold_backward.grad_input(go, x, 0, grad_input=out), x.shape, ring_mb)
    else:
        raise ValueError("unknown kind " + kind)
    return fwd, bwd, ring


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def lenet():
    """cnnlab.nn.LeNet5.create(Activation.RELU, ...): the same layers."""
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(),
        torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10))


def lenet_epochs_ms(images_path, labels_path, n, epochs):
    """Each epoch's time in ms, `epochs` epochs of one net and optimizer, as cnnlab's Trainer.fit."""
    images = torch.from_numpy(read_idx(images_path)[:n].astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    labels = torch.from_numpy(read_idx(labels_path)[:n].astype(np.int64))
    torch.manual_seed(1)
    net = lenet()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    times = []
    for _ in range(epochs):
        order = torch.randperm(n)
        t0 = time.perf_counter()
        for start in range(0, n, 64):
            idx = order[start:start + 64]
            x, y = images[idx], labels[idx]
            opt.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
        times.append(1000.0 * (time.perf_counter() - t0))
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ring-mb", type=int, default=512, help="cnnlab.ops.OutputMemory.BUDGET_MB, from the bench")
    ap.add_argument("--lenet-images", type=int, default=0)
    ap.add_argument("--lenet-epochs", type=int, default=2)
    ap.add_argument("--images")
    ap.add_argument("--labels")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.set_grad_enabled(False)
    n = torch.get_num_threads()
    print("INFO torch %s, %d thread%s, %s" % (torch.__version__, n, "" if n == 1 else "s",
                                            "mkldnn" if torch.backends.mkldnn.is_available() else "no mkldnn"),
          flush=True)
    warmup_s, iters, iter_s = (0.3, 3, 0.3) if a.quick else (3.0, 5, 1.0)
    for line in sys.stdin:
        if not line.strip():
            continue
        name, kind, x_shape, w_shape, stride, padding = line.split()
        fwd, bwd, ring = case_fns(kind, dims(x_shape), [] if w_shape == "-" else dims(w_shape), int(stride),
                                  int(padding), a.ring_mb)
        for pass_name, fn in (("forward", fwd), ("backward", bwd)):
            ms = median_ms(fn, warmup_s, iters, iter_s)
            if pass_name == "backward" and ring is not None:
                ring_ms = median_ms(ring[0], warmup_s, iters, iter_s)
                print("ROTATING %s %s %.6f %d" % (name, pass_name, ring_ms, ring[1]), flush=True)
            print("RESULT %s %s %.6f" % (name, pass_name, ms), flush=True)
    if a.lenet_images > 0:
        torch.set_grad_enabled(True)
        for epoch, ms in enumerate(lenet_epochs_ms(a.images, a.labels, a.lenet_images, a.lenet_epochs), 1):
            print("RESULT LENET %d %.6f" % (epoch, ms * 60000.0 / a.lenet_images), flush=True)


if __name__ == "__main__":
    main()
