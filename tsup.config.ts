import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Marks graft's Node-only dynamic imports `webpackIgnore`: `import('node:fs/promises')`, a module of its own
 * named `node-*` (which imports `node:` statically), and the `@vite-ignore` ones by name. They run only in
 * Node, and webpack 5 otherwise fails a browser build on the `node:` scheme (UnhandledSchemeError) or warns
 * "Critical dependency" on an import by expression. Vite leaves them alone.
 */
const nodeOnlyImports: EsbuildPlugin = {
  name: 'node-only-imports',
  setup(build) {
    build.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].+\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replace(/(?<!typeof )import\((?=['"](node:|\.\.?\/([\w-]+\/)*node-))/g, 'import(/* webpackIgnore: true */ ')
        .replace(/import\(\/\* @vite-ignore \*\//g, 'import(/* webpackIgnore: true */ /* @vite-ignore */');
      return { contents, loader: 'ts' };
    });
  },
};

/** Rollup (treeshake) appends its own sourceMappingURL comment after esbuild's: keep one. */
function oneMapComment(outDir: string): void {
  for (const file of readdirSync(outDir).filter((f) => /\.c?js$/.test(f))) {
    const path = `${outDir}/${file}`;
    const code = readFileSync(path, 'utf8');
    const once = code.replace(/(\/\/# sourceMappingURL=[^\n]+)\n\1\s*$/, '$1\n');
    if (once !== code) writeFileSync(path, once);
  }
}

// One config builds every package to ESM + CJS, each with its own declarations (.d.ts for `import`,
// .d.cts for `require`, as the exports map's nested `types` conditions name them). Dependencies stay
// external, so an app's bundler sees each adapter as its own entry point (import only wasm, ship only wasm).
const packages = ['core', 'heads', 'zoo', 'backend-wasm', 'backend-webgpu', 'backend-onnx', 'graft'];

type Target = { 'graft-source'?: string; import?: { default?: string } };

/** Entry points from package.json's exports: every subpath with a source (`./src/x.ts` -> `dist/x.js`). */
function entries(name: string, exports: Record<string, Target | string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const target of Object.values(exports)) {
    if (typeof target === 'string' || !target['graft-source'] || !target.import?.default) continue;
    const built = target.import.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
    out[built] = `packages/${name}/${target['graft-source'].replace(/^\.\//, '')}`;
  }
  return out;
}

/** Built files no export names: worker entry points a module starts by URL (`new URL('./x.js', import.meta.url)`). */
const workerEntries: Record<string, Record<string, string>> = {
  core: { 'decode-worker': 'packages/core/src/data/images/node-decode-worker.ts' },
};

export default defineConfig(
  packages.map((name): Options => {
    const pkg = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
    return {
      name,
      entry: { ...entries(name, pkg.exports), ...workerEntries[name] },
      // entries share chunks in CJS too, so the registry and GraftError exist once however they are reached
      splitting: true,
      // Rollup (not tsup's sucrase pass) then writes the split CJS: its maps chain to src/ (sucrase's named the
      // intermediate file, with no content) and it rewrites `import.meta.url` for CJS (sucrase left it, a syntax error)
      treeshake: true,
      outDir: `packages/${name}/dist`,
      format: ['esm', 'cjs'],
      dts: true,
      // The maps embed their sources (sourcesContent), so they are complete without shipping src/.
      sourcemap: true,
      clean: true,
      target: 'es2022',
      platform: 'neutral',
      // Keep `node:` specifiers as written: tsup strips them by default, and a bare `fs/promises` reads to a
      // bundler as a package to resolve, where `node:fs/promises` is plainly Node's (engines: node >= 20).
      removeNodeProtocol: false,
      external: [...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }), /^node:/, /^@tensorflow\//],
      outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
      tsconfig: 'tsconfig.json',
      esbuildPlugins: [nodeOnlyImports],
      onSuccess: async () => {
        oneMapComment(`packages/${name}/dist`);
        // the .wasm binaries travel in @graftjs/backend-wasm's dist, next to the module that names them
        if (name === 'backend-wasm')
          execFileSync('node', ['packages/backend-wasm/scripts/copy-wasm.mjs'], { stdio: 'inherit' });
      },
    };
  }),
);
