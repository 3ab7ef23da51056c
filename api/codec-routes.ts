import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../common/config';
import { payloadCodec } from '../common/data-converter';
import { fromJsonPayload, toJsonPayload } from '../common/payload-codec';
import { apiAuth } from './auth';
import { badRequest, sendProblem } from './errors';

const body = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string()).optional(), data: z.string().optional() })).max(1000),
});
const sessionBody = z.object({ key: z.string().min(1).max(512) });

export const CODEC_COOKIE = 'shyb_codec';
const SESSION_MS = 8 * 3600_000;

/**
 * A codec session is a cookie the Temporal UI can send (TEMPORAL_CODEC_INCLUDE_CREDENTIALS=true):
 * the UI cannot hold a bearer key, and passing its own access token needs OIDC. The cookie names
 * the key that opened it and carries an HMAC by that key over the expiry: no server-side state,
 * and removing a key from CODEC_KEYS ends its sessions.
 */
export function sessionToken(keys: string[], key: string, now = Date.now()): string | undefined {
  const i = keys.findIndex((k) => same(k, key));
  if (i < 0) return undefined;
  const exp = now + SESSION_MS;
  return `${i}.${exp}.${mac(key, exp)}`;
}

export function validSession(keys: string[], token: string | undefined, now = Date.now()): boolean {
  const m = /^(\d+)\.(\d+)\.([\w-]+)$/.exec(token ?? '');
  if (!m) return false;
  const key = keys[Number(m[1])];
  const exp = Number(m[2]);
  return key !== undefined && exp > now && same(mac(key, exp), m[3]!);
}

function mac(key: string, exp: number): string {
  return createHmac('sha256', key).update(`shyb-codec-session:${exp}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const LOGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>shyb-pay codec session</title>
<h1>Open a codec session for the Temporal UI</h1>
<p>Staff allowed to read payment data in the clear enter a codec key (CODEC_KEYS). The session lasts 8 hours.</p>
<form method="post" action="session"><input type="password" name="key" autocomplete="off" autofocus> <button>Open</button></form>`;

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

  r.get('/login', (_req, res) => res.type('html').send(LOGIN_PAGE));
  r.post('/session', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const b = sessionBody.safeParse(req.body);
    if (!b.success) return badRequest(res, b.error);
    const token = sessionToken(config.codecKeys, b.data.key);
    if (!token) return sendProblem(res, 'UNAUTHORIZED', 'not a codec key');
    // SameSite=Lax: the UI (another port of the same site) sends it; other sites' pages do not
    res.cookie(CODEC_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/codec', maxAge: SESSION_MS });
    return req.is('json') ? res.status(204).end() : res.type('html').send('<p>Codec session open for 8 hours. Return to the Temporal UI and reload.</p>');
  });
  r.delete('/session', (_req, res) => res.clearCookie(CODEC_COOKIE, { path: '/codec' }).status(204).end());

  const bearer = apiAuth(config.codecKeys);
  r.use((req, res, next) => (validSession(config.codecKeys, cookie(req, CODEC_COOKIE)) ? next() : bearer(req, res, next)));
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
        return sendProblem(res, 'VALIDATION_FAILED', (err as Error).message);
      }
    });
  }
  return r;
}
