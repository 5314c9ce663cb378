import { packAll } from './pack';

// Build and pack once for the whole consumer run; pack.ts sets GRAFT_PACKED_DIR, which the test
// workers inherit, so each file's packAll() reads the same tarballs instead of packing again.
export default async function setup(): Promise<void> {
  await packAll();
}
