import * as net from 'node:net';
import { DevServerExitedEarly, freePort, startDevServer } from '../../scripts/dev-server';

// The CLI binds some ports itself; when one of them is taken the server exits during start. That
// start is retried (it picks other ports), and what the server printed is in the error.
test('a dev server that exits during start is tried three times; the error carries what it printed', async () => {
  const uiPort = await freePort();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(uiPort, '127.0.0.1', () => r()));
  const notes: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (notes.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const err = await startDevServer({ port: await freePort(), uiPort }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DevServerExitedEarly);
    expect((err as DevServerExitedEarly).output).toMatch(new RegExp(`${uiPort}|address already in use`, 'i'));
    expect(notes.filter((n) => n.includes('exited during start')).map((n) => /attempt (\d) of 3/.exec(n)?.[1])).toEqual(['1', '2']);
  } finally {
    process.stderr.write = write;
    blocker.close();
  }
}, 120_000);
