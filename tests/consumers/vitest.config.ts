import { defineConfig } from 'vitest/config';

// The consumer suite: packed tarballs installed into fresh temp projects (no workspace sources, no
// graft-source condition). Slow by nature (build, pack, npm ci, tsc), so it is not part of `npm test`;
// run it with `npm run test:consumers` (CI runs it after `npm test`).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/consumers/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['tests/consumers/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
