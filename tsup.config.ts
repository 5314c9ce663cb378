import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// One config builds every package to ESM + CJS + .d.ts. Dependencies stay external, so an app's
// bundler sees each adapter as its own entry point (import only wasm, ship only wasm).
const packages = ['core', 'heads', 'zoo', 'backend-wasm', 'backend-webgpu', 'backend-onnx', 'graft'];

export default defineConfig(
  packages.map((name): Options => {
    const pkg = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
    return {
      name,
      entry: { index: `packages/${name}/src/index.ts` },
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
      // the .wasm binaries travel in @graftjs/backend-wasm's dist, next to the module that names them
      onSuccess: name === 'backend-wasm' ? 'node packages/backend-wasm/scripts/copy-wasm.mjs' : undefined,
    };
  }),
);
