import * as path from 'node:path';
import express, { Router, type Response } from 'express';
import got from 'got';
import QRCode from 'qrcode';
import { z } from 'zod';
import { apiAuth } from '../auth';
import type { Config } from '../../common/config';
import { badRequest, sendProblem } from '../errors';
import { shellAccess } from '../console/page-auth';
import { demoPage } from './page';

/**
 * openapi-fetch's browser ESM build: the runtime of the typed client, which demo.js imports. It is
 * resolved in node_modules (a production dependency, kept by `npm prune --omit=dev`), so the compiled
 * image serves the very version the API tests and `npm run demo` use, with no copy to keep in step.
 */
export const OPENAPI_FETCH_MODULE = require.resolve('openapi-fetch/dist/index.mjs');

const voucherRequest = z
  .object({
    personId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w-]+$/),
  })
  .strict();

/**
 * The checkout demo at /demo, mounted only when the simulator stands in for the platform. The page pays
 * through the public /api like any checkout; /demo/persons and /demo/voucher stand in for the patient's
 * phone (the 随申办 wallet that shows the e-voucher QR code) and ask the simulator's control API.
 */
export function demoRoutes(config: Config, simulatorUrl: string) {
  const r = Router();
  const sim = got.extend({ prefixUrl: simulatorUrl, responseType: 'json', timeout: { request: 5_000 }, retry: { limit: 0 } });
  // A module script needs a JavaScript MIME type; the map is not served (devtools may ask for it).
  r.get('/assets/openapi-fetch.mjs', (_req, res) => {
    res.type('text/javascript').sendFile(OPENAPI_FETCH_MODULE, { maxAge: '5m' });
  });
  r.use('/assets', express.static(path.join(__dirname, 'assets'), { fallthrough: false, index: false, maxAge: '5m' }));
  r.get('/', shellAccess(config.apiKeys), (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(demoPage({ keyRequired: config.apiKeys.length > 0 }));
  });
  r.use(apiAuth(config.apiKeys));
  // The simulator is a separate server: when it is down the answer is a 502, not an internal error.
  const simulator = async <T>(res: Response, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      sendProblem(res, 'PLATFORM_UNAVAILABLE', `simulator unreachable: ${(err as Error).message}`);
      return undefined;
    }
  };
  r.get('/persons', async (_req, res) => {
    const persons = await simulator(res, () => sim.get('__sim/persons').json<Array<{ id: string; psnNo: string; route: string }>>());
    if (!persons) return;
    // psnNo is what the HIS already has for its patient (it goes into the 2207 data); no names here.
    res.json({ items: persons.map((p) => ({ id: p.id, psnNo: p.psnNo, route: p.route })) });
  });
  r.post('/voucher', async (req, res) => {
    const body = voucherRequest.safeParse(req.body);
    if (!body.success) return badRequest(res, body.error);
    const answer = await simulator(res, () =>
      sim.post<{ ecQrCode: string }>('__sim/qrcodes', { json: { personId: body.data.personId }, throwHttpErrors: false }),
    );
    if (!answer) return;
    if (answer.statusCode === 404) return sendProblem(res, 'NOT_FOUND', 'unknown test person');
    const { ecQrCode } = answer.body;
    const svg = await QRCode.toString(ecQrCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 220 });
    return res.json({ ecQrCode, ecQrChannel: '3', svg });
  });
  return r;
}
