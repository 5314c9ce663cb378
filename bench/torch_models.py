"""PyTorch (1 thread unless TORCH_THREADS is set) reference for bench/backends.ts: the same three models, batch 64, Adam, all layers trained.

Models (channels-first here, same layers and sizes as the graft builds):
  mlp        784-128-64-10 on 28x28
  cnn        conv32-pool-conv64-pool-dense10 on 28x28x1 ('valid' convs, relu)
  mobilenet  MobileNetV2 alpha 0.35 at 96x96x3 with Keras' layout (inverted residuals, ReLU6, BatchNorm, 1280-wide
             last conv), global average pool and a 10-way dense head; written here because Debian has no torchvision

Prints one JSON line per model: {"model", "train_samples_per_s", "infer_samples_per_s", "torch"}.
Usage: /usr/bin/python3 bench/torch_models.py [seconds per measurement] [model ...]
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn

# TORCH_THREADS (bench/backends.ts' BENCH_TORCH_THREADS; 1 unless set), with OpenBLAS' own count set to match
torch.set_num_threads(int(os.environ.get('TORCH_THREADS', '1')))
torch.manual_seed(0)
BATCH = 64
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0


def divisible(v, d=8):
    """Keras' _make_divisible: round to a multiple of 8, never more than 10% down."""
    n = max(d, int(v + d / 2) // d * d)
    return n + d if n < 0.9 * v else n


def conv_bn(cin, cout, k, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3)]
    if act:
        layers.append(nn.ReLU6())
    return layers


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        layers = [] if expansion == 1 else conv_bn(cin, hidden, 1)
        layers += conv_bn(hidden, hidden, 3, stride, groups=hidden)
        layers += conv_bn(hidden, cout, 1, act=False)
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def mobilenet_v2(alpha=0.35, classes=10):
    cin = divisible(32 * alpha)
    layers = conv_bn(3, cin, 3, 2)
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                       (6, 320, 1, 1)]:
        cout = divisible(c * alpha)
        for i in range(n):
            layers.append(InvertedResidual(cin, cout, s if i == 0 else 1, t))
            cin = cout
    layers += conv_bn(cin, 1280, 1)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, classes)]
    return nn.Sequential(*layers)


MODELS = {
    'mlp': (lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                  nn.Linear(64, 10)), (1, 28, 28)),
    'cnn': (lambda: nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 10)), (1, 28, 28)),
    'mobilenet': (mobilenet_v2, (3, 96, 96)),
}


def rate(step, seconds):
    """Samples/s of `step` (one batch), best of three windows after a warm-up (the machine may be shared)."""
    for _ in range(2):
        step()
    best = 0.0
    for _ in range(3):
        steps, start = 0, time.perf_counter()
        while steps < 2 or time.perf_counter() - start < seconds / 3:
            step()
            steps += 1
        best = max(best, steps * BATCH / (time.perf_counter() - start))
    return best


def measure(name):
    build, shape = MODELS[name]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(BATCH, *shape)
    y = torch.randint(0, 10, (BATCH,))

    def train_step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    model.train()
    train = rate(train_step, SECONDS)
    model.eval()
    with torch.no_grad():
        infer = rate(lambda: model(x), SECONDS)
    return {'model': name, 'train_samples_per_s': train, 'infer_samples_per_s': infer, 'torch': torch.__version__}


for name in sys.argv[2:] or list(MODELS):
    print(json.dumps(measure(name)), flush=True)
