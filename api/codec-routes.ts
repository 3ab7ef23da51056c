import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../common/config';
import { payloadCodec } from '../common/data-converter';
import { fromJsonPayload, toJsonPayload } from '../common/payload-codec';
import { apiAuth } from './auth';
import { badRequest } from './errors';

const body = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string()).optional(), data: z.string().optional() })).max(1000),
});

/** The Temporal codec server, so authorised staff read clear payloads in the Temporal UI. */
export function codecRoutes(config: Config) {
  const r = Router();
  const origins = config.codecCorsOrigins;
  r.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.header('origin');
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, x-namespace');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') return res.status(204).end();
    return next();
  });
  r.use(apiAuth(config.apiKeys));
  const codec = payloadCodec(config);
  for (const op of ['encode', 'decode'] as const) {
    r.post(`/${op}`, async (req, res) => {
      const b = body.safeParse(req.body);
      if (!b.success) return badRequest(res, b.error);
      const payloads = b.data.payloads.map(fromJsonPayload);
      try {
        const out = codec ? await codec[op](payloads) : payloads;
        return res.json({ payloads: out.map(toJsonPayload) });
      } catch (err) {
        return res.status(400).json({ error: (err as Error).message });
      }
    });
  }
  return r;
}
