"""The seed's MLP in PyTorch, 1 thread: the reference bench/mlp.ts compares graft against.

Reads the digits bench/mlp.ts wrote (int32 n, n*784 float32 pixels, n int32 labels), trains
Flatten -> Linear 128 relu -> Linear 64 relu -> Linear 10 with adam (eps 1e-7, as Keras/graft) and
cross-entropy on logits (softmax + sparse categorical cross-entropy, fused as PyTorch users write it),
batch 64, shuffled each epoch, loss and accuracy accumulated per epoch as graft does. One warm-up epoch,
then the median of `epochs` timed epochs; inference is the median of softmax(model(x)) over `predict_n`
samples in batches of 64. Prints one JSON line.

Usage: /usr/bin/python3 bench/torch_mlp.py DIGITS.bin [epochs=5] [batch=64] [predict_n=2000]
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(1)

path = sys.argv[1]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 64
predict_n = int(sys.argv[4]) if len(sys.argv) > 4 else 2000

with open(path, "rb") as f:
    raw = bytearray(f.read())
n = int(torch.frombuffer(raw, dtype=torch.int32, count=1)[0])
x = torch.frombuffer(raw, dtype=torch.float32, count=n * 784, offset=4).reshape(n, 28, 28).clone()
y = torch.frombuffer(raw, dtype=torch.int32, count=n, offset=4 + n * 784 * 4).long().clone()

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 128), nn.ReLU(),
    nn.Linear(128, 64), nn.ReLU(),
    nn.Linear(64, 10),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
gen = torch.Generator().manual_seed(1)


def epoch():
    model.train()
    order = torch.randperm(n, generator=gen)
    loss_sum = torch.zeros(())
    correct = torch.zeros((), dtype=torch.long)
    for lo in range(0, n, batch):
        idx = order[lo:lo + batch]
        xb, yb = x[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        opt.step()
        with torch.no_grad():
            loss_sum += loss.detach() * len(idx)
            correct += (logits.argmax(1) == yb).sum()
    return float(loss_sum) / n, int(correct) / n


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def predict():
    model.eval()
    with torch.inference_mode():
        outs = [torch.softmax(model(x[lo:lo + batch]), 1) for lo in range(0, predict_n, batch)]
        return torch.cat(outs)


times = []
acc = 0.0
for e in range(epochs + 1):
    t, (_, acc) = timed(epoch)
    if e > 0:
        times.append(t)
ptimes = [timed(predict)[0] for _ in range(epochs + 1)][1:]
print(json.dumps({
    "torch": torch.__version__,
    "train_samples_per_s": n / statistics.median(times),
    "predict_samples_per_s": predict_n / statistics.median(ptimes),
    "epoch_s": times,
    "accuracy": acc,
}))
