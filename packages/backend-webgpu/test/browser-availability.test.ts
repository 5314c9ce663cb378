import { describe, expect, it } from 'vitest';
import { browserWebGPUAvailability } from '../src/browser-availability';

// The browser branch of isAvailable(), fed stand-in navigators (a real browser run needs a page and a bundle).
describe('browserWebGPUAvailability', () => {
  it('no navigator or no navigator.gpu: says WebGPU is missing', async () => {
    for (const nav of [undefined, {}]) {
      const found = await browserWebGPUAvailability(nav);
      expect(found).toEqual({ available: false, reason: expect.stringContaining('navigator.gpu is missing') });
    }
  });

  it('requestAdapter() resolves to null: says so', async () => {
    const found = await browserWebGPUAvailability({ gpu: { requestAdapter: async () => null } });
    expect(found).toEqual({ available: false, reason: expect.stringContaining('returned null') });
  });

  it('an adapter: available, described by vendor / architecture / description', async () => {
    const adapter = {
      info: { vendor: 'apple', architecture: 'common-3', description: '' },
      features: new Set<string>(),
      limits: {},
      requestDevice: async () => ({ destroy() {} }),
    };
    const found = await browserWebGPUAvailability({ gpu: { requestAdapter: async () => adapter } });
    expect(found).toEqual({ available: true, adapter: 'apple / common-3' });
  });
});
