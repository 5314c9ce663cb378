// Which BLAS the PyTorch reference runs, printed by every bench that compares against PyTorch (backends.ts, mlp.ts,
// wasm-kernels.ts): Debian's python3-torch takes whatever the libblas.so.3 alternative points to, and the reference
// BLAS is several times slower than OpenBLAS, so a figure without its BLAS cannot be compared.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ALTERNATIVE = 'libblas.so.3-x86_64-linux-gnu';

interface Report {
  torch: string;
  loaded: string[];
  config_blas: string | null;
  threadpoolctl: { internal_api: string; version: string; filepath: string }[] | null;
  blas_threads: number | null;
}

/**
 * The environment every bench runs /usr/bin/python3 with: torch.set_num_threads(1) does not reach OpenBLAS, which
 * otherwise starts one thread per core for every matmul (so "PyTorch 1 thread" used 2 cores for Linear layers).
 */
export function torchEnv(threads = 1): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, TORCH_THREADS: n };
}

/** `update-alternatives --query` for libblas.so.3: the selected path and every installed one. */
function alternatives(): { value: string; status: string; choices: string[] } | undefined {
  try {
    const out = execFileSync('update-alternatives', ['--query', ALTERNATIVE], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const field = (name: string) => out.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1] ?? '';
    const choices = [...out.matchAll(/^Alternative: (.*)$/gm)].map((m) => m[1] as string);
    return { value: field('Value'), status: field('Status'), choices };
  } catch {
    return undefined;
  }
}

/** Names the BLAS behind one library path. */
function blasName(file: string): string {
  if (/openblas/i.test(file)) {
    const version = file.match(/-r(\d+\.\d+\.\d+)/)?.[1];
    const flavour = file.match(/openblas-(pthread|openmp|serial)/)?.[1];
    return ['OpenBLAS', version, flavour ? `(${flavour})` : ''].filter(Boolean).join(' ');
  }
  if (/mkl/i.test(file)) return 'MKL';
  if (/blis/i.test(file)) return 'BLIS';
  if (/atlas/i.test(file)) return 'ATLAS';
  if (/\/blas\/libblas/.test(file)) return 'reference BLAS (netlib, unoptimised)';
  return path.basename(file);
}

/**
 * One line saying which BLAS `/usr/bin/python3`'s PyTorch loaded (read from the process' own memory map after a
 * matmul), with the libblas.so.3 alternative and, when OpenBLAS is installed but not selected, how to select it.
 * Never changes the system setting.
 */
export function torchBlas(): string {
  let report: Report;
  try {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_blas.py');
    const out = execFileSync('/usr/bin/python3', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: torchEnv(),
    });
    report = JSON.parse(out.trim().split('\n').at(-1) as string) as Report;
  } catch {
    return 'PyTorch BLAS: unknown (python3-torch not importable from /usr/bin/python3)';
  }
  const blas = report.loaded.find((f) => /blas|mkl|blis|atlas/i.test(path.basename(f)) && !/lapack/.test(f));
  const name = blas ? blasName(report.loaded.find((f) => /openblas[^/]*\.so/.test(path.basename(f))) ?? blas) : '';
  const alt = alternatives();
  const parts = [
    `PyTorch ${report.torch} BLAS: ${name || `none mapped (torch built with BLAS_INFO=${report.config_blas})`}${
      report.blas_threads != null
        ? `, ${report.blas_threads} BLAS thread(s) (OPENBLAS_NUM_THREADS=1 set by bench/)`
        : ''
    }`,
    blas ? `loaded from ${blas}` : '',
    alt ? `libblas.so.3 alternative: ${alt.value} (${alt.status})` : '',
    report.threadpoolctl
      ? `threadpoolctl: ${report.threadpoolctl.map((p) => `${p.internal_api} ${p.version}`).join(', ')}`
      : '',
  ];
  const openblas = alt?.choices.find((c) => /openblas/.test(c));
  if (!/OpenBLAS|MKL|BLIS/.test(name) && openblas) {
    parts.push(`OpenBLAS is installed but not selected: sudo update-alternatives --set ${ALTERNATIVE} ${openblas}`);
  } else if (!/OpenBLAS|MKL|BLIS/.test(name)) {
    parts.push('no optimised BLAS installed: sudo apt-get install libopenblas0-pthread');
  }
  return parts.filter(Boolean).join('; ');
}

// Run alone: print it.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) console.log(torchBlas());
