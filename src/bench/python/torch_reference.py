"""PyTorch on CPU, the single-machine alternative, on the benchmark's own MNIST files and networks.

scripts/bench.sh runs this when the Python it is given can import torch, and puts the figures
beside sparkprop's. One JSON object per line on stdout:

  pass   a full-data gradient pass of 784-128-10 (sigmoid, softmax, cross-entropy): all 60,000
         examples forward and backward as one batch, float64 and float32 (median of --passes)
  to97   784-128-10 ReLU, SGD with momentum 0.9, eta 0.05, batch 128, shuffled each epoch: seconds
         until the end of the first epoch whose test accuracy reaches 97 % (test evaluations counted)
  conf   the network of conf/mnist.properties as it was first tuned: 784-256-128-10 ReLU, Adam eta
         0.001 with a cosine schedule, L2 1e-4 on the weights (not the biases), batch 240, 10
         epochs; wall time, accuracy

Usage: torch_reference.py MNIST_DIR [--threads 2] [--passes 5] [--what pass,to97,conf]
"""

import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist(root, part):
    images = idx(f"{root}/{part}-images-idx3-ubyte").reshape(-1, 784)
    labels = idx(f"{root}/{part}-labels-idx1-ubyte")
    return torch.from_numpy(images.astype(np.float32) / 255.0), torch.from_numpy(labels.astype(np.int64))


def network(sizes, hidden):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(hidden())
    return torch.nn.Sequential(*layers)


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def passes(x, y, count, dtype):
    torch.manual_seed(1)
    model = network([784, 128, 10], torch.nn.Sigmoid).to(dtype)
    x = x.to(dtype)
    loss = torch.nn.CrossEntropyLoss()
    seconds = []
    for i in range(count + 1):
        start = time.perf_counter()
        model.zero_grad()
        loss(model(x), y).backward()
        if i > 0:  # the first warms up
            seconds.append(time.perf_counter() - start)
    return seconds


def train(x, y, tx, ty, sizes, make_optimizer, batch, epochs, target, l2=0.0, cosine=False, stop=False):
    """Seconds to the first epoch at the target accuracy (None if none), last accuracy, seconds."""
    torch.manual_seed(1)
    model = network(sizes, torch.nn.ReLU)
    optimizer = make_optimizer(model.parameters())
    steps = epochs * math.ceil(len(x) / batch)
    schedule = (
        torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
        if cosine
        else None
    )
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    loss = torch.nn.CrossEntropyLoss()
    reached, last = None, None
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        order = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            chosen = order[i : i + batch]
            optimizer.zero_grad()
            cost = loss(model(x[chosen]), y[chosen])
            if l2 > 0:
                cost = cost + 0.5 * l2 * sum((w * w).sum() for w in weights)
            cost.backward()
            optimizer.step()
            if schedule is not None:
                schedule.step()
        last = accuracy(model, tx, ty)
        if reached is None and last >= target:
            reached = (time.perf_counter() - start, epoch)
            if stop:
                break
    return reached, last, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--what", default="pass,to97,conf")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, y = mnist(args.mnist, "train")
    tx, ty = mnist(args.mnist, "t10k")
    head = {"torch": torch.__version__, "threads": torch.get_num_threads()}

    def emit(record):
        print(json.dumps({**head, **record}), flush=True)

    what = args.what.split(",")
    if "pass" in what:
        for name, dtype in (("float64", torch.float64), ("float32", torch.float32)):
            s = passes(x, y, args.passes, dtype)
            emit({"what": "pass", "dtype": name, "median_s": statistics.median(s), "min_s": min(s)})
    if "to97" in what:
        reached, last, seconds = train(
            x, y, tx, ty, [784, 128, 10],
            lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), 128, 10, 0.97, stop=True)
        emit({"what": "to97", "reached_s": reached and reached[0], "reached_epoch": reached and reached[1],
              "final_accuracy": last, "seconds": seconds})
    if "conf" in what:
        reached, last, seconds = train(
            x, y, tx, ty, [784, 256, 128, 10],
            lambda p: torch.optim.Adam(p, lr=0.001), 240, 10, 0.98, l2=1e-4, cosine=True)
        emit({"what": "conf", "reached_s": reached and reached[0], "final_accuracy": last, "seconds": seconds})


if __name__ == "__main__":
    sys.exit(main())
