import { freePort, startDevServer } from '../scripts/dev-server';

// One real Temporal dev server for the whole suite (in-memory, headless). Tests reach it through
// TEMPORAL_TEST_ADDRESS; each test file uses its own task queue.
export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const server = await startDevServer({ port, headless: true });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  (globalThis as Record<string, unknown>).__TEMPORAL_DEV_SERVER__ = server;
}
