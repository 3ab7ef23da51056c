import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookHit {
  at: number;
  rawBody: string;
  body: any;
  /** The Standard Webhooks headers as received (webhook-id, webhook-timestamp, webhook-signature). */
  headers: Record<string, string>;
  eventId: string | undefined;
  answer: 'fail' | 'hang' | 'accept';
}

/** A stand-in for the HIS webhook endpoint: answers each request by the next scripted behaviour, then accepts. */
export async function startWebhookReceiver(script: Array<'fail' | 'hang'> = []) {
  const hits: WebhookHit[] = [];
  const queue = [...script];
  let down = false;
  const app = express();
  app.use(express.text({ type: 'application/json' })); // the raw body, as a verifier must see it
  app.post('/hooks/shyb', (req, res) => {
    const answer = down ? 'fail' : (queue.shift() ?? 'accept');
    const rawBody = String(req.body);
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].flatMap((n) => (req.header(n) !== undefined ? [[n, req.header(n)!]] : [])),
    );
    hits.push({ at: Date.now(), rawBody, body: JSON.parse(rawBody), headers, eventId: req.header('webhook-id'), answer });
    if (answer === 'fail') return res.status(503).send('down for maintenance');
    if (answer === 'hang') return; // never answers: the sender's timeout ends it
    return res.status(204).end();
  });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shyb`,
    hits,
    /** More scripted answers for the next requests (not named "then": the object would become a thenable). */
    answerNext: (...more: Array<'fail' | 'hang'>) => queue.push(...more),
    /** While on, every request fails (503). */
    outage: (on: boolean) => {
      down = on;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
