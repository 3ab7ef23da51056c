// API_KEYS: who may call the API, and as what. Each entry is `name:role:key`: the name is recorded
// beside the operator on every resolve, match, remedy and redelivery, the role decides the routes
// (api/routes/*.ts `access`), the key is the bearer secret. Several roles join with `+`
// (e.g. `duty:finance+ops:<key>`). A bare key (the format before roles) is refused at start-up: a key
// that silently opened every role is what roles are meant to end.

export const ROLES = ['his', 'finance', 'ops'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  name: string;
  roles: readonly Role[];
  key: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

export const API_KEYS_EXAMPLE = 'API_KEYS=his-app:his:<key>,finance-desk:finance:<key>,oncall:ops:<key> (keys e.g. from openssl rand -hex 24)';

/**
 * Parses API_KEYS; throws an Error naming the entry (by position and name, never its key) when one is
 * malformed. The same name may appear twice (a key being rotated), the same key may not.
 */
export function parseApiKeys(value: string | undefined): ApiKey[] {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const keys = entries.map((entry, i) => {
    const at = `API_KEYS entry ${i + 1}`;
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    if (second < 0)
      throw new Error(`${at} is a bare key: each entry is name:role:key, roles ${ROLES.join(', ')} (several joined by +), e.g. ${API_KEYS_EXAMPLE}`);
    const name = entry.slice(0, first);
    const roles = entry.slice(first + 1, second).split('+');
    const key = entry.slice(second + 1);
    if (!NAME.test(name)) throw new Error(`${at}: the name must be 1-40 letters, digits, '.', '_' or '-'`);
    const bad = roles.find((r) => !isRole(r));
    if (bad !== undefined) throw new Error(`${at} (${name}): "${bad}" is not a role: ${ROLES.join(', ')}, several joined by +`);
    if (!key) throw new Error(`${at} (${name}): the key is empty`);
    return { name, roles: [...new Set(roles)] as Role[], key };
  });
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.key)) throw new Error(`API_KEYS: the key of ${k.name} is given twice: each key must be unique`);
    seen.add(k.key);
  }
  return keys;
}
