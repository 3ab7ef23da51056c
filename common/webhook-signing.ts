import { createHmac, timingSafeEqual } from 'node:crypto';

// The HIS webhook signature: HMAC-SHA256 over `${timestamp}.${body}` with the shared secret, sent as
// `X-Shyb-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is inside the MAC so a captured request
// cannot be replayed later with a new time; the receiver also refuses timestamps outside its tolerance.

export const SIGNATURE_HEADER = 'X-Shyb-Signature';
export const EVENT_ID_HEADER = 'X-Shyb-Event-Id';

export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signature(secret, timestamp, body)}`;
}

/** The receiver's check (docs/finance.md "Webhooks" shows the same in a few lines of plain Node). */
export function verifySignature(secret: string, header: string | undefined, body: string, opts: { toleranceSec?: number; now?: number } = {}): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) return false;
  return timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(signature(secret, t, body), 'hex'));
}
