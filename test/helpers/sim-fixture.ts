import { createLogger } from '../../common/logger';
import type { SimSettings } from '../../simulator/platform';
import { startSimulator, type Simulator } from '../../simulator/server';
import { startReceiver } from './receiver';
import { simApi } from './sim-client';

export interface SimUnderTest {
  sim: Simulator;
  receiver: Awaited<ReturnType<typeof startReceiver>>;
  api: ReturnType<typeof simApi>;
}

/**
 * One simulator for a test file, pushing to a local receiver: started before all tests (`use` gets
 * it), reset before each one (with `settings` applied again when `resetSettings`), closed after all.
 */
export function useSimulator(name: string, settings: Partial<SimSettings>, use: (s: SimUnderTest) => void, opts: { resetSettings?: boolean } = {}): void {
  let s: SimUnderTest | undefined;
  beforeAll(async () => {
    const receiver = await startReceiver();
    const sim = await startSimulator({ log: createLogger(name, 'silent'), settings: { callbackBaseUrl: receiver.base, ...settings } });
    s = { sim, receiver, api: simApi(sim.url) };
    use(s);
  });
  afterAll(async () => {
    await s?.sim.close();
    await s?.receiver.close();
  });
  beforeEach(async () => {
    await s!.api.post('/__sim/reset', {});
    if (opts.resetSettings) await s!.api.settings({ pushMode: 'on', ...settings, tokenTtlMs: 300_000 });
    s!.receiver.pushes.length = 0;
    s!.receiver.nack(0);
  });
}
