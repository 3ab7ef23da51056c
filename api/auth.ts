import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './errors';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The peer: the socket's address, or with TRUST_PROXY the client the trusted proxies name. */
function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '';
}

/** A request a proxy relayed: its socket peer is the proxy, not the client. */
const viaProxy = (req: Request) => req.header('x-forwarded-for') !== undefined || req.header('forwarded') !== undefined || req.header('x-real-ip') !== undefined;

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether a request may use the API: a bearer key from API_KEYS; without keys, loopback clients only
 * (the socket peer must be loopback and the request must not come through a proxy: a same-host
 * reverse proxy is loopback too). Undefined when allowed, else why not.
 */
export function refusal(keys: string[], req: Request): string | undefined {
  if (keys.length === 0) {
    return LOOPBACK.has(req.socket.remoteAddress ?? '') && !viaProxy(req) ? undefined : 'API_KEYS is not set: only direct loopback clients are accepted';
  }
  const m = /^Bearer (.+)$/.exec(req.header('authorization') ?? '');
  return m && keys.some((k) => sameKey(k, m[1]!)) ? undefined : 'missing or invalid bearer key';
}

/** Bearer keys from API_KEYS (see refusal): a 401 problem otherwise. */
export function apiAuth(keys: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const why = refusal(keys, req);
    if (why === undefined) return next();
    return sendProblem(res, 'UNAUTHORIZED', why);
  };
}

/** Optional allow-list for platform pushes (CALLBACK_ALLOW: IPs or CIDRs). */
export function callbackAllow(entries: string[]) {
  if (entries.length === 0) return (_req: Request, _res: Response, next: NextFunction) => next();
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = isIPv4(addr!) ? 'ipv4' : 'ipv6';
    if (bits) list.addSubnet(addr!, Number(bits), type);
    else list.addAddress(addr!, type);
  }
  return (req: Request, res: Response, next: NextFunction) => {
    const ip = clientIp(req).replace(/^::ffff:/, '');
    const ok = list.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
    if (ok) return next();
    return res.status(403).json({ infcode: -1, err_msg: 'address not allowed' });
  };
}
