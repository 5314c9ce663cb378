import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "graft-source" condition,
// so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['graft-source'] },
  ssr: { resolve: { conditions: ['graft-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/consumers/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
