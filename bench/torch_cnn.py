"""Times the bench CNN (conv32-maxpool-conv64-maxpool-flatten-dense10 on 28x28x1) training in PyTorch, 1 thread.

Prints one JSON line {"samples_per_s": ...}; bench/wasm-kernels.ts runs it to compute the wasm/PyTorch ratio.
Usage: python3 bench/torch_cnn.py [seconds]
"""
import json
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
BATCH = 64
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0

# Same architecture as bench/wasm-kernels.ts (channels-first here; 'valid' padding, relu after each conv).
model = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 5 * 5, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
x = torch.randn(BATCH, 1, 28, 28)
y = torch.randint(0, 10, (BATCH,))


def step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


for _ in range(3):
    step()
# Best of three windows, as bench/wasm-kernels.ts does for wasm (the machine may be shared).
best = 0.0
total_steps = 0
for _ in range(3):
    steps = 0
    start = time.perf_counter()
    while steps < 3 or time.perf_counter() - start < seconds / 3:
        step()
        steps += 1
    best = max(best, steps * BATCH / (time.perf_counter() - start))
    total_steps += steps
print(json.dumps({"samples_per_s": best, "steps": total_steps, "torch": torch.__version__}))
