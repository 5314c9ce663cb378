import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// One config builds every package to ESM + CJS + .d.ts. Dependencies stay external, so an app's
// bundler sees each adapter as its own entry point (import only wasm, ship only wasm).
const packages = ['core', 'heads', 'zoo', 'backend-wasm', 'backend-webgpu', 'backend-onnx', 'graft'];
// Subpath entries beside each package's index (package.json "exports" names the same files).
const subpaths: Record<string, Record<string, string>> = { core: { adapter: 'packages/core/src/adapter.ts' } };

export default defineConfig(
  packages.map((name): Options => {
    const pkg = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
    return {
      name,
      entry: { index: `packages/${name}/src/index.ts`, ...subpaths[name] },
      // entries share chunks in CJS too, so the registry and GraftError exist once however they are reached
      splitting: true,
      outDir: `packages/${name}/dist`,
      format: ['esm', 'cjs'],
      dts: true,
      sourcemap: true,
      clean: true,
      target: 'es2022',
      platform: 'neutral',
      external: [...Object.keys(pkg.dependencies ?? {}), /^node:/, /^@tensorflow\//],
      outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
      tsconfig: 'tsconfig.json',
    };
  }),
);
