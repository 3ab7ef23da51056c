import * as fs from 'node:fs';
import * as net from 'node:net';
import { freePort } from '../../scripts/dev-server';
import { startSimulator } from '../../simulator/server';
import { createLogger } from '../../common/logger';

// Ports a stack is given before it starts: the Temporal CLI binds several port-0 (ephemeral) ports
// while it starts, so a port chosen for the API or the simulator must never come from that range.

test('freePort gives distinct ports below the kernel ephemeral range, leaving room for the UI port + 1000', async () => {
  const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
  expect(new Set(ports).size).toBe(40);
  for (const p of ports) {
    expect(p).toBeGreaterThanOrEqual(10_000);
    expect(p + 1_000).toBeLessThan(low!);
  }
});

test('the simulator refuses a port in use with an error that names it (not a crash on a missing address)', async () => {
  const port = await freePort();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
  try {
    await expect(startSimulator({ port, log: createLogger('test', 'silent') })).rejects.toThrow(
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
    );
  } finally {
    await new Promise<void>((r) => blocker.close(() => r()));
  }
});
