import { runChaos } from './chaos';

// The short chaos run: real processes, faults, worker SIGKILLs, a dev-server restart, API crashes
// before acks; every order is checked against the simulator ledger.
test('chaos (short): no payment lost or doubled, no forged PAID, no regression', async () => {
  const lines: string[] = [];
  const r = await runChaos({ orders: 16, short: true, log: (l) => lines.push(l) });
  if (!r.ok) process.stdout.write(`${lines.join('\n')}\n${r.violations.join('\n')}\n`);
  expect(r.violations).toEqual([]);
  expect(r.summary.orders).toBe(16);
  expect(Number(r.summary['worker SIGKILLs'])).toBeGreaterThan(0);
  expect(r.summary['Temporal restarts']).toBe(1);
}, 600_000);
