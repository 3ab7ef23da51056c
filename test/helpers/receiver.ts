import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
  path: string;
  body: any;
  at: number;
}

/** A stand-in for the hospital's callback address: records pushes, acks as told. */
export async function startReceiver() {
  const pushes: ReceivedPush[] = [];
  let nackFirst = 0;
  const app = express();
  app.use(express.json());
  app.post(/.*/, (req, res) => {
    pushes.push({ path: req.path, body: req.body, at: Date.now() });
    if (nackFirst > 0) {
      nackFirst -= 1;
      return res.status(200).json({ infcode: -1, err_msg: 'not now' });
    }
    return res.json(req.path.endsWith('/nation') ? { infcode: 0 } : { xxfhm: 'P001', fhxx: '成功' });
  });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shyb`;
  return {
    base,
    pushes,
    nack(n: number) {
      nackFirst = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
