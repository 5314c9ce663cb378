// Copies tfjs-backend-wasm's binaries into this package's dist/, next to the module that names them with
// `new URL('./x.wasm', import.meta.url)`, so bundlers emit them and browsers fetch them with no configuration.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const require = createRequire(join(here, '..', 'package.json'));
const source = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const files = readdirSync(join(source, 'dist')).filter((f) => f.endsWith('.wasm'));

if (!existsSync(dist)) throw new Error(`copy-wasm: ${dist} does not exist; run the build first`);
if (files.length !== 3) throw new Error(`copy-wasm: expected 3 .wasm files in ${source}/dist, found ${files.join(', ')}`);
for (const file of files) copyFileSync(join(source, 'dist', file), join(dist, file));
console.log(`copy-wasm: ${files.length} binaries -> ${dist}`);
