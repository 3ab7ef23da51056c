import { Webhook } from 'standardwebhooks';

// Webhooks to the HIS follow the Standard Webhooks specification (https://www.standardwebhooks.com):
// headers webhook-id, webhook-timestamp (unix seconds) and webhook-signature, the signature being
// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, made and checked with the spec's own library, so
// any ready-made verifier (standardwebhooks for Node, Python, Go, …; svix) accepts our requests.
//
// Rotation: HIS_WEBHOOK_SECRET holds one or more secrets, comma-separated. Every request carries one
// signature per secret, space-separated as the spec allows, so the HIS may switch to the new secret
// whenever it likes during the rotation; the first secret is the current one.

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes. */
export const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
export const MAX_SECRETS = 3;

/** Why a secret is not a Standard Webhooks secret, or undefined when it is one. */
export function secretProblem(secret: string): string | undefined {
  if (!SECRET_FORMAT.test(secret)) return 'must be whsec_ followed by base64, e.g. whsec_$(openssl rand -base64 32)';
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  if (bytes < 24 || bytes > 64) return `must hold 24 to 64 bytes (this one holds ${bytes})`;
  return undefined;
}

/** HIS_WEBHOOK_SECRET as a list: the current secret first, then those still accepted during a rotation. */
export const webhookSecrets = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The three Standard Webhooks headers for one attempt: signed over this attempt's timestamp, with every secret. */
export function webhookHeaders(secrets: readonly string[], id: string, body: string, at: Date = new Date()): Record<string, string> {
  if (secrets.length === 0) throw new Error('no webhook secret');
  const signature = secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
  return { [WEBHOOK_ID_HEADER]: id, [WEBHOOK_TIMESTAMP_HEADER]: String(Math.floor(at.getTime() / 1000)), [WEBHOOK_SIGNATURE_HEADER]: signature };
}

/** The receiver's check, as an HIS does it (docs/finance.md "Webhooks"): true when one signature matches and the time is within 5 minutes. */
export function verifyWebhook(secret: string, headers: Record<string, string | undefined>, body: string): boolean {
  try {
    new Webhook(secret).verify(body, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}
