import { lineAt, type SourceFiles } from './sources';

export interface Hit {
  /** file:line */
  where: string;
  text: string;
}

/** Each line matching `pattern` (a global regex) in the files whose path passes `include`, as file:line. */
export function findHits(files: SourceFiles, pattern: RegExp, include: (path: string) => boolean = () => true): Hit[] {
  const hits: Hit[] = [];
  for (const [path, text] of files) {
    if (!include(path)) continue;
    const lines = new Set<number>();
    for (const match of text.matchAll(pattern)) {
      const line = lineAt(text, match.index ?? 0);
      if (lines.has(line)) continue;
      lines.add(line);
      hits.push({ where: `${path}:${line}`, text: text.split('\n')[line - 1].trim() });
    }
  }
  return hits;
}

/** Adapter names core must not know, in code, strings or comments. */
export const ADAPTER_NAMES = /wasm|webgpu|onnx/gi;
export const isCoreSource = (path: string) => path.startsWith('packages/core/src/');

/** Runtime detection reads `process.versions` in one module only. */
export const RUNTIME_PROBE = /process\.versions/g;
export const RUNTIME_MODULE = 'packages/core/src/env/runtime.ts';

/** Console output goes through core's `log` helper, so `env.logLevel` governs all of it. */
export const CONSOLE_OUTPUT = /console\.(warn|error|info|debug)\b/g;
export const LOG_MODULE = 'packages/core/src/env/log.ts';
