/**
 * The smallest apps, bundled from the sources (bench/app-bundle-size.ts --source): an MLP made with `sequential`,
 * trained and asked for a prediction, importing only `sequential` from `graftjs`, then from `@graftjs/core`. Each
 * is split as an app bundler splits it (bench/bundle-graph.ts): "up front" is the entry chunk and what it imports
 * statically, "all" adds the lazy chunks the first fit and predict load (and any other lazy chunk reachable).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitSize } from './bundle-graph';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = ['@tensorflow/*', 'node:*', 'onnxruntime-web', 'onnxruntime-web/*', 'webgpu', 'onnxruntime-node'];
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

function app(from: string): string {
  return `import { sequential } from '${from}';
const model = sequential({ inputShape: [2], seed: 1 }).dense(8, { activation: 'relu' }).dense(2, { activation: 'softmax' });
await model.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { epochs: 50 });
document.body.textContent = JSON.stringify(await model.predict([1, 0]));
`;
}

export async function sourceApps(): Promise<void> {
  // inside the repository, so the workspace packages resolve as an app's dependencies do
  const dir = 'node_modules/.cache/graft-app-bundle';
  mkdirSync(path.join(root, dir), { recursive: true });
  console.log('\n### Smallest apps, bundled from the sources (esbuild, minified, split; tfjs external)\n');
  console.log('| app | up front: chunks | min | min+gzip | all chunks: min | min+gzip |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const from of ['graftjs', '@graftjs/core']) {
    const entry = `${dir}/mlp-${from.replace(/\W/g, '-')}.js`;
    writeFileSync(path.join(root, entry), app(from));
    const s = await splitSize(root, entry, external);
    console.log(
      `| \`import { sequential } from '${from}'\`, fit + predict | ${s.eager.chunks} | ${kb(s.eager.min)} | ${kb(s.eager.gzip)} | ${kb(s.total.min)} | ${kb(s.total.gzip)} |`,
    );
    const top = s.eagerModules.slice(0, 8).map(([m, b]) => `${m.replace(/^packages\//, '')} ${kb(b)}`);
    console.log(`|  largest up front: ${top.join(', ')} | | | | | |`);
  }
  console.log('\nCommand: node --conditions=graft-source --import tsx bench/app-bundle-size.ts --source');
}
