import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { ROLES, type ApiKey, type Role } from '../common/api-keys';
import { sendProblem } from './errors';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The peer: the socket's address, or with TRUST_PROXY the client the trusted proxies name. */
function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '';
}

/** A request a proxy relayed: its socket peer is the proxy, not the client. */
const viaProxy = (req: Request) =>
  req.header('x-forwarded-for') !== undefined || req.header('forwarded') !== undefined || req.header('x-real-ip') !== undefined;

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who is calling: an API_KEYS entry's name and roles; without API_KEYS a direct loopback client, with every role. */
export interface Caller {
  name: string;
  roles: readonly Role[];
}
export const LOOPBACK_CALLER: Caller = { name: 'loopback', roles: ROLES };

/** Keys given as bare strings (CODEC_KEYS, the demo's simulator routes): any of them opens every role. */
const entries = (keys: readonly (ApiKey | string)[]): ApiKey[] => keys.map((k) => (typeof k === 'string' ? { name: 'key', roles: ROLES, key: k } : k));

/**
 * Who a request comes from: a bearer key from API_KEYS; without keys, loopback clients only (the
 * socket peer must be loopback and the request must not come through a proxy: a same-host reverse
 * proxy is loopback too). A string when refused: why.
 */
export function identify(keys: readonly (ApiKey | string)[], req: Request): Caller | string {
  if (keys.length === 0) {
    return LOOPBACK.has(req.socket.remoteAddress ?? '') && !viaProxy(req) ? LOOPBACK_CALLER : 'API_KEYS is not set: only direct loopback clients are accepted';
  }
  const m = /^Bearer (.+)$/.exec(req.header('authorization') ?? '');
  // compare with every key (no early exit), so the time taken does not tell which one matched
  const found = m ? entries(keys).filter((k) => sameKey(k.key, m[1]!)) : [];
  return found[0] ? { name: found[0].name, roles: found[0].roles } : 'missing or invalid bearer key';
}

/** Undefined when the request may use the API (any role), else why not. */
export function refusal(keys: readonly (ApiKey | string)[], req: Request): string | undefined {
  const who = identify(keys, req);
  return typeof who === 'string' ? who : undefined;
}

/** The caller apiAuth identified (res.locals.caller). */
export function callerOf(res: Response): Caller {
  const c = res.locals.caller as Caller | undefined;
  if (!c) throw new Error('no caller: the route is not behind apiAuth');
  return c;
}

/** The API key's name to record beside an operator: none without API_KEYS (a loopback client holds no key). */
export function keyNameOf(res: Response): string | undefined {
  const c = callerOf(res);
  return c === LOOPBACK_CALLER ? undefined : c.name;
}

/** A caller that holds none of `roles`: why it is refused; undefined when allowed. */
export function roleRefusal(who: Caller, roles: readonly Role[]): string | undefined {
  if (roles.some((r) => who.roles.includes(r))) return undefined;
  return `the key ${who.name} (${who.roles.join('+')}) may not use this route: it needs the role ${roles.join(' or ')}`;
}

/** Bearer keys from API_KEYS (see identify): a 401 problem otherwise; with `roles`, a 403 for a key that holds none of them. */
export function apiAuth(keys: readonly (ApiKey | string)[], roles?: readonly Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const who = identify(keys, req);
    if (typeof who === 'string') return sendProblem(res, 'UNAUTHORIZED', who);
    const forbidden = roles ? roleRefusal(who, roles) : undefined;
    if (forbidden) return sendProblem(res, 'FORBIDDEN', forbidden);
    res.locals.caller = who;
    return next();
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
