"""Which BLAS the PyTorch of /usr/bin/python3 runs (for bench/torch-blas.ts).

Prints one JSON line: {"torch", "loaded" (BLAS/LAPACK/MKL libraries mapped into this process after a matmul),
"config_blas" (BLAS_INFO from torch.__config__.show()), "threadpoolctl" (its report when installed, else null), "blas_threads" (OpenBLAS's own thread count: torch's
set_num_threads does not reach it), "torch_threads"}.
"""
import ctypes
import json
import re

import torch

torch.set_num_threads(1)
a = torch.rand(64, 64)
(a @ a).sum().item()  # a matmul, so a lazily loaded BLAS is mapped too

loaded = []
with open('/proc/self/maps') as maps:
    for line in maps:
        path = line.split()[-1] if len(line.split()) >= 6 else ''
        if re.search(r'(blas|lapack|mkl|blis|atlas)[^/]*$', path) and path not in loaded:
            loaded.append(path)

threads = None
openblas = next((p for p in loaded if 'openblas' in p.rsplit('/', 1)[-1]), None)
if openblas:
    try:
        threads = ctypes.CDLL(openblas).openblas_get_num_threads()
    except (OSError, AttributeError):
        pass

config = re.search(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())
try:
    import threadpoolctl

    pool = [{k: i.get(k) for k in ('internal_api', 'version', 'filepath', 'num_threads')}
            for i in threadpoolctl.threadpool_info()]
except ImportError:
    pool = None
print(json.dumps({'torch': torch.__version__, 'loaded': loaded, 'config_blas': config.group(1) if config else None,
                  'threadpoolctl': pool, 'blas_threads': threads, 'torch_threads': torch.get_num_threads()}))
