import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { cpuPerWorkflow, sampleCpu } from '../system/bench-cpu';

// The bench's CPU accounting: milliseconds per workflow by group, and /proc read per process tree.

test('CPU per workflow is the difference of two samples divided by the workflows, by group and in total', () => {
  const before = { worker: 1000, temporal: 2000, bench: 500 };
  const after = { worker: 1450, temporal: 2900, bench: 650 };
  expect(cpuPerWorkflow(before, after, 30)).toEqual({ temporal: 30, worker: 15, apiSimulatorDriver: 5, total: 50 });
  expect(cpuPerWorkflow(before, { worker: 1001, temporal: 2001, bench: 501 }, 3)).toEqual({ temporal: 0.3, worker: 0.3, apiSimulatorDriver: 0.3, total: 0.9 });
});

test('no sample (no /proc) or no workflows: no figure rather than a wrong one', () => {
  const s = { worker: 1, temporal: 1, bench: 1 };
  expect(cpuPerWorkflow(undefined, s, 10)).toBeNull();
  expect(cpuPerWorkflow(s, undefined, 10)).toBeNull();
  expect(cpuPerWorkflow(s, s, 0)).toBeNull();
});

test('a busy child counts as the worker when it is the worker, and as Temporal otherwise', async () => {
  expect(fs.existsSync('/proc/self/stat')).toBe(true); // the bench's machines are Linux
  // one child spins for 300 ms of its own CPU, then both children only wait
  const spin = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 300_000); console.log("spun"); setTimeout(() => {}, 60000);']);
  const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    await new Promise((r) => spin.stdout.once('data', r));
    const asWorker = sampleCpu(spin.pid!)!;
    const asOther = sampleCpu(idle.pid!)!;
    expect(asWorker.worker).toBeGreaterThanOrEqual(300);
    expect(asOther.worker).toBeLessThan(asWorker.worker);
    // what leaves the worker group goes to Temporal's ("every other process we started"), to the tick
    const moved = asWorker.worker - asOther.worker;
    expect(Math.abs(asOther.temporal - asWorker.temporal - moved)).toBeLessThanOrEqual(20);
    expect(asWorker.bench).toBeGreaterThan(0);
  } finally {
    spin.kill('SIGKILL');
    idle.kill('SIGKILL');
  }
});
