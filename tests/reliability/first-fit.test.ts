import { sequential } from '@graftjs/core';
import { describe, expect, it } from 'vitest';

// Runs in its own process (vitest forks per file): no backend has been chosen yet, as in a user's first script.
describe('the first fit of a process, before any backends.use()', () => {
  // Reported bug: fit() holds the registry (backends.hold()) and then calls backends.ensure(), whose
  // use('auto') refuses with BACKEND_SWITCH_DURING_FIT because of that very hold.
  it('chooses a backend itself and trains', async () => {
    const model = sequential({ inputShape: [2], seed: 1 }).dense(2, { activation: 'softmax' });
    await model.fit(
      [
        [0, 1],
        [1, 0],
      ],
      [0, 1],
      { epochs: 1 },
    );
    expect(model.history.loss).toHaveLength(1);
    await model.dispose();
  });
});
