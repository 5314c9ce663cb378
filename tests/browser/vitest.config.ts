import { defineConfig } from 'vitest/config';

// The browser e2e runs on its own (the root config excludes tests/browser): `npm run test:browser`.
export default defineConfig({
  resolve: { conditions: ['graft-source'] },
  ssr: { resolve: { conditions: ['graft-source'] } },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
