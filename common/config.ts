import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../protocol/zod-helpers';
import { parseKeys } from './payload-codec';
import { timingOverrideSchema } from './timing';
import { MAX_SECRETS, secretProblem, webhookSecrets } from './webhook-signing';
import { parseApiKeys, type ApiKey } from './api-keys';

const port = z.coerce.number().int().min(1).max(65535);
const url = z.string().url();
const ms = z.coerce.number().int().positive();

/**
 * Per-interface HTTP timeouts (ms). Why these defaults:
 *  - SE01/SM01 (10 s): identity look-ups the patient is waiting on; fast fail lets them re-scan.
 *  - SE02 (30 s): its reply only means "received"; after a timeout we query SE04, never resend.
 *  - SE04/SE06 (10 s): read-only queries, retried freely on the polling schedule.
 *  - SE07 (30 s): like SE02, a submit whose result comes later (SE05/SE06).
 *  - 2208 (150 s): Shanghai guide §4.10: "报文发送 150 秒未得到返回时，应立即调用冲正接口" — we wait the
 *    full 150 s, then the outcome is unknown and the order sends 2601 before anything else.
 *  - 2601 (30 s): the 冲正 itself; an unknown 2601 goes to review, so a short wait is enough.
 *  - 1101/9001/9002 (10 s): read-only look-ups and the sign-in; a slow 前置机 should fail fast.
 *  - 5203/5203A/SI91 (10 s): the centre's record of one settlement, read-only and asked again freely.
 *  - 3201 (30 s), 3202/9101/9102 (60 s): the day close; 3202 has the centre compare a whole file, 9101/9102
 *    carry one. Read-only for the money: an unknown outcome is simply asked again.
 */
export const DEFAULT_TIMEOUTS_MS: Record<string, number> = {
  SE01: 10_000,
  SM01: 10_000,
  SE02: 30_000,
  SE04: 10_000,
  SE06: 10_000,
  SE07: 30_000,
  '2208': 150_000,
  '2601': 30_000,
  '1101': 10_000,
  '9001': 10_000,
  '9002': 10_000,
  // 五期 SK01 moves money like 2208: a generous wait before "unknown"
  SK01: 60_000,
  '5203': 10_000,
  '5203A': 10_000,
  SI91: 10_000,
  '3201': 30_000,
  '3202': 60_000,
  '9101': 60_000,
  '9102': 60_000,
  default: 30_000,
};

const schema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('shyb-pay'),
  /** Where the claims (one order per ecToken, setl_id, idempotency key) live, apart from the orders; unset = `<TEMPORAL_NAMESPACE>-claims`. */
  TEMPORAL_CLAIM_NAMESPACE: z.string().min(1).optional(),
  /** Also honour claims made in TEMPORAL_NAMESPACE before claims had their own namespace; off once 40 days have passed since the upgrade (or on a fresh install). */
  CLAIM_LEGACY_NAMESPACE_CHECK: z.enum(['on', 'off']).default('on'),
  /** Eager Workflow Start where the API and a worker share a process (npm start): the settlement's first task goes straight to that worker. */
  EAGER_START: z.enum(['on', 'off']).default('off'),
  /** mTLS client certificate and key (PEM files), e.g. for Temporal Cloud or a TLS cluster. */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  /** Temporal Cloud API key (implies TLS). */
  TEMPORAL_API_KEY: z.string().optional(),
  PLATFORM_URL: url.optional(),
  WUQI_URL: url.optional(),
  FIXMEDINS_CODE: z
    .string()
    .regex(/^[A-Z0-9]{12}$/, 'must be the 12-character national code, e.g. H31011000053')
    .default('H31011000053'),
  FIXMEDINS_NAME: z.string().min(1).max(200).default('shyb-pay 测试医院'),
  WUQI_ORG_CODE: z
    .string()
    .regex(/^[0-9A-Z]{11}$/, 'must be the 11-character 五期 code')
    .optional(),
  MDTRTAREA_ADMVS: z
    .string()
    .regex(/^\d{6}$/, 'must be a 6-digit admdvs')
    .default('310000'),
  RECER_SYS_CODE: z.string().min(1).max(10).default('HIS'),
  INFVER: z.string().min(1).max(6).default('V1.0'),
  MSGID_INSTANCE: z.coerce.number().int().min(0).max(9).default(0),
  DATA_DIR: z.string().min(1).default('./.data'),
  API_PORT: port.default(3000),
  SIMULATOR_PORT: port.default(8090),
  CALLBACK_BASE_URL: url.default('http://127.0.0.1:3000/shyb'),
  /** name:role:key entries, comma-separated (common/api-keys.ts); roles his, finance, ops. */
  API_KEYS: z.string().optional(),
  /** Keys for the Temporal UI's codec calls only (cookie session, see api/codec-routes.ts); unset = the finance and ops keys of API_KEYS. */
  CODEC_KEYS: z.string().optional(),
  /** IPs/CIDRs allowed to push to /shyb (the 前置机); required with API_KEYS. */
  CALLBACK_ALLOW: z.string().optional(),
  /** JSON of a partial SettlementTiming, e.g. {"pollScheduleMs":[1000],"deadlineMs":60000}. */
  SETTLEMENT_TIMING: z.string().optional(),
  /** No cash refund seen after cashGraceMs: NEEDS_REVIEW CASH_REFUND_NOT_SEEN (review) or SE07 at once (remedy). */
  CASH_REFUND_SILENCE: z.enum(['review', 'remedy']).default('review'),
  /** "id:base64key,…" (32-byte keys); unset = a key kept in DATA_DIR. */
  PAYLOAD_KEYS: z.string().optional(),
  PAYLOAD_ENCRYPTION: z.enum(['on', 'off']).default('on'),
  /** Default: the Temporal UI's own origins (TEMPORAL_UI_URL, or 127.0.0.1/localhost on TEMPORAL_UI_PORT). */
  CODEC_CORS_ORIGINS: z.string().optional(),
  // HTTP edge (api/server.ts, api/app.ts)
  /** Where the Temporal UI is, for links.ui, the finance console's links and the codec's CORS origin: a URL, or just its port on 127.0.0.1. */
  TEMPORAL_UI_URL: url.optional(),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The API's listen address. Without API_KEYS only a loopback address is allowed (the default then). */
  API_HOST: z.string().min(1).optional(),
  /** The API's address as clients reach it: the OpenAPI document's server. */
  API_PUBLIC_URL: url.optional(),
  /** express `trust proxy` (with API_KEYS only): false, true, a hop count, or comma-separated addresses/CIDRs/loopback,uniquelocal. */
  TRUST_PROXY: z.string().min(1).optional(),
  /** Requests per minute and client address on /api (not /shyb, not /codec). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  HTTP_HEADERS_TIMEOUT_MS: ms.default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: ms.default(30_000),
  HTTP_KEEPALIVE_TIMEOUT_MS: ms.default(5_000),
  /** Serve the API's /metrics on this port (METRICS_HOST) without auth; unset = /metrics on API_PORT behind the API's auth. */
  API_METRICS_PORT: port.optional(),
  METRICS_SDK_PORT: port.optional(),
  /** A standalone worker serves its own /metrics (settlement outcomes, polls, SE02 latency) here. */
  WORKER_METRICS_PORT: port.optional(),
  /** Where the worker's metric endpoints listen: 0.0.0.0 in a container. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Status webhooks to the HIS (docs/finance.md "Webhooks"): both or neither. */
  HIS_WEBHOOK_URL: url.optional(),
  /** Standard Webhooks secrets (whsec_<base64>), comma-separated: the first signs, each one adds a signature (rotation). */
  HIS_WEBHOOK_SECRET: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const secrets = webhookSecrets(v);
      if (secrets.length > MAX_SECRETS)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `at most ${MAX_SECRETS} secrets (the current one first, then those being rotated out)` });
      for (const [i, s] of secrets.entries()) {
        const why = secretProblem(s);
        if (why) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `secret ${i + 1} ${why}` });
      }
    }),
  /** One delivery attempt's HTTP timeout; stays under the activity's 1-minute startToClose. */
  HIS_WEBHOOK_TIMEOUT_MS: ms.max(50_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PLATFORM_TIMEOUT_SE01_MS: ms.optional(),
  PLATFORM_TIMEOUT_SM01_MS: ms.optional(),
  PLATFORM_TIMEOUT_SE02_MS: ms.optional(),
  PLATFORM_TIMEOUT_SE04_MS: ms.optional(),
  PLATFORM_TIMEOUT_SE06_MS: ms.optional(),
  PLATFORM_TIMEOUT_SE07_MS: ms.optional(),
  PLATFORM_TIMEOUT_2208_MS: ms.optional(),
  PLATFORM_TIMEOUT_2601_MS: ms.optional(),
  PLATFORM_TIMEOUT_1101_MS: ms.optional(),
  PLATFORM_TIMEOUT_9001_MS: ms.optional(),
  PLATFORM_TIMEOUT_SK01_MS: ms.optional(),
  PLATFORM_TIMEOUT_5203_MS: ms.optional(),
  PLATFORM_TIMEOUT_5203A_MS: ms.optional(),
  PLATFORM_TIMEOUT_SI91_MS: ms.optional(),
  PLATFORM_TIMEOUT_3201_MS: ms.optional(),
  PLATFORM_TIMEOUT_3202_MS: ms.optional(),
  PLATFORM_TIMEOUT_9101_MS: ms.optional(),
  PLATFORM_TIMEOUT_9102_MS: ms.optional(),
  /** 9101 文件上传: how the zip's bytes travel in `in` (表415 "字节数组", no JSON form specified): base64 text, or a JSON array of byte values. */
  RECON_FILE_ENCODING: z.enum(['base64', 'array']).default('base64'),
  /** The daily check of our orders against the centre (issue 18): the Temporal Schedule is created or updated when a worker starts. */
  CENTRE_CHECK_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Asia/Shanghai time of day the check runs, HH:mm (it checks the previous Shanghai day). */
  CENTRE_CHECK_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (Asia/Shanghai), e.g. 03:00')
    .default('03:00'),
  /** The most centre queries (5203 / 5203A / SI91) the check sends per second. */
  CENTRE_CHECK_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100).default(5),
  /** How many days back a check may be asked for: the refund window (30 days) and a margin. */
  CENTRE_CHECK_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(35),
  /**
   * The hospital's day close (3201/3202, SL01): export (default) gives our day in their shapes for the HIS to merge
   * into its own close; send runs them against the centre (only for a code shyb-pay uses alone).
   */
  CENTRE_RECONCILIATION: z.enum(['export', 'send']).default('export'),
  /** 9001 签到 (national §5.8.1.1): opter_no, mac, ip. Unset: SHYBPAY + MSGID_INSTANCE, this host's MAC and IPv4. */
  SIGN_IN_OPTER_NO: z.string().min(1).max(20).optional(),
  SIGN_IN_MAC: z.string().min(1).max(20).optional(),
  SIGN_IN_IP: z.string().min(1).max(20).optional(),
  /** SE01 (五期 §4.8.1.2) termIp, officeId, officeName when the request gives none. */
  SE01_TERM_IP: z.string().min(1).max(20).default('127.0.0.1'),
  SE01_OFFICE_ID: z.string().min(1).max(50).default('ONLINE'),
  SE01_OFFICE_NAME: z.string().min(1).max(50).default('互联网医院'),
  /** 表115 #16 exp_content (字符型 4000): an object goes out as its JSON text, or as an object for a 前置机 that wants one. */
  EXP_CONTENT_FORMAT: z.enum(['string', 'object']).default('string'),
  /** National §4.4 cainfo: SM2 signature of each national message (protocol/cainfo.ts); off by default. */
  CAINFO_SIGNING: z.enum(['off', 'on']).default('off'),
  CAINFO_PRIVATE_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be an SM2 private key: 64 hex digits')
    .optional(),
  CAINFO_USER_ID: z.string().min(1).max(64).default('1234567812345678'),
  CAINFO_ENCODING: z.enum(['hex', 'base64', 'der-hex', 'der-base64']).default('hex'),
  CAINFO_CHECK_OUTPUT: z.enum(['off', 'on']).default('off'),
  CAINFO_PLATFORM_PUBLIC_KEY: z
    .string()
    .regex(/^(04)?[0-9a-fA-F]{128}$/, 'must be an uncompressed SM2 public key: (04)+128 hex digits')
    .optional(),
});

export type RawConfig = z.infer<typeof schema>;
/** Every environment variable the configuration reads (documented in temporal-docker/.env.example). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

const timingSchema = timingOverrideSchema;
export type TimingOverride = z.infer<typeof timingSchema>;

/** The configuration: the environment's schema (RawConfig) and what loadConfig derives from it, inferred from loadConfig. */
export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

/** Values shipped in examples that must never reach production (compare lower-case). */
const PLACEHOLDERS = new Set(['change-me', 'changeme', 'change_me', 'replace-me', 'replaceme', 'secret', 'password', 'todo', 'xxx']);

/**
 * Compose and .env files write `NAME=` for "not set"; an empty or blank value counts as unset,
 * so it takes the default instead of failing later (e.g. an empty PAYLOAD_KEYS in the codec).
 */
export function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env) {
  const env = withoutEmpty(rawEnv);
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describeZodError(parsed.error)}`);
  const c = parsed.data;
  const sim = `http://127.0.0.1:${c.SIMULATOR_PORT}`;
  const timeoutsMs = { ...DEFAULT_TIMEOUTS_MS };
  for (const k of Object.keys(DEFAULT_TIMEOUTS_MS)) {
    const v = (c as Record<string, unknown>)[`PLATFORM_TIMEOUT_${k}_MS`];
    if (typeof v === 'number') timeoutsMs[k] = v;
  }
  let timing: TimingOverride = {};
  if (c.SETTLEMENT_TIMING) {
    let raw: unknown;
    try {
      raw = JSON.parse(c.SETTLEMENT_TIMING);
    } catch {
      throw new ConfigError('invalid configuration: SETTLEMENT_TIMING: not JSON');
    }
    const t = timingSchema.safeParse(raw);
    if (!t.success) throw new ConfigError(`invalid configuration: SETTLEMENT_TIMING: ${describeZodError(t.error)}`);
    timing = t.data;
  }
  timing = { ...timing, refund: { cashSilence: c.CASH_REFUND_SILENCE, ...timing.refund } };
  if (c.CAINFO_SIGNING === 'on' && !c.CAINFO_PRIVATE_KEY) throw new ConfigError('invalid configuration: CAINFO_SIGNING=on needs CAINFO_PRIVATE_KEY');
  if (c.CAINFO_CHECK_OUTPUT === 'on' && !c.CAINFO_PLATFORM_PUBLIC_KEY)
    throw new ConfigError('invalid configuration: CAINFO_CHECK_OUTPUT=on needs CAINFO_PLATFORM_PUBLIC_KEY');
  if (!!c.HIS_WEBHOOK_URL !== !!c.HIS_WEBHOOK_SECRET) throw new ConfigError('invalid configuration: HIS_WEBHOOK_URL and HIS_WEBHOOK_SECRET go together');
  if (!!c.TEMPORAL_TLS_CERT !== !!c.TEMPORAL_TLS_KEY) throw new ConfigError('invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together');
  const list = (v?: string) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  let apiKeyEntries: ApiKey[];
  try {
    apiKeyEntries = parseApiKeys(c.API_KEYS);
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${(err as Error).message}`);
  }
  const secrets = { API_KEYS: apiKeyEntries.map((k) => k.key), CODEC_KEYS: list(c.CODEC_KEYS) };
  for (const name of ['API_KEYS', 'CODEC_KEYS'] as const) {
    const bad = secrets[name].find((k) => PLACEHOLDERS.has(k.toLowerCase()) || /^<.*>$/.test(k));
    if (bad !== undefined) throw new ConfigError(`invalid configuration: ${name} holds the placeholder "${bad}": set real keys (e.g. openssl rand -hex 24)`);
  }
  if (c.PAYLOAD_KEYS) {
    try {
      parseKeys(c.PAYLOAD_KEYS);
    } catch (err) {
      throw new ConfigError(`invalid configuration: ${(err as Error).message}`);
    }
  }
  for (const entry of list(c.CALLBACK_ALLOW)) {
    const [addr, bits, extra] = entry.split('/');
    const family = isIP(addr ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new ConfigError(`invalid configuration: CALLBACK_ALLOW: ${entry} is not an IP or CIDR`);
    }
  }
  const apiKeys = secrets.API_KEYS;
  // With keys the API faces a network: /shyb (no key, the platform cannot send one) must then be
  // closed to all but the 前置机, or anyone could fill the push inbox and forge failures.
  if (apiKeys.length > 0 && list(c.CALLBACK_ALLOW).length === 0) {
    throw new ConfigError(
      'invalid configuration: CALLBACK_ALLOW is required when API_KEYS is set: the addresses the platform pushes from (the 前置机), as IPs or CIDRs, comma-separated, e.g. CALLBACK_ALLOW=10.20.30.40 (0.0.0.0/0,::/0 opens /shyb to any address on purpose)',
    );
  }
  const temporalUiUrl = (c.TEMPORAL_UI_URL ?? `http://127.0.0.1:${c.TEMPORAL_UI_PORT}`).replace(/\/+$/, '');
  return {
    ...c,
    ...edgeConfig(c, apiKeys),
    temporalUiUrl,
    claimNamespace: c.TEMPORAL_CLAIM_NAMESPACE ?? `${c.TEMPORAL_NAMESPACE}-claims`,
    publicUrl: (c.API_PUBLIC_URL ?? `http://127.0.0.1:${c.API_PORT}`).replace(/\/+$/, ''),
    codecCorsOrigins: c.CODEC_CORS_ORIGINS ? list(c.CODEC_CORS_ORIGINS) : uiOrigins(temporalUiUrl),
    /** Every API key (the secrets only); apiKeyEntries holds their names and roles. */
    apiKeys,
    apiKeyEntries,
    /** Keys that open a codec session for the Temporal UI: CODEC_KEYS, else the API keys of the finance and ops roles (never an HIS's). */
    codecKeys: c.CODEC_KEYS ? secrets.CODEC_KEYS : apiKeyEntries.filter((k) => k.roles.some((r) => r !== 'his')).map((k) => k.key),
    callbackAllow: list(c.CALLBACK_ALLOW),
    timing,
    // The embedded simulator is reached on its prod path: the test path never pushes (V13 §3.2).
    platformUrl: c.PLATFORM_URL ?? `${sim}/gjptqzyy-prod/api/v1/route`,
    wuqiUrl: c.WUQI_URL ?? `${sim}/wuqi`,
    /** true when no real 前置机 is configured and the embedded simulator stands in. */
    useSimulator: !c.PLATFORM_URL && !c.WUQI_URL,
    wuqiOrgCode: c.WUQI_ORG_CODE ?? c.FIXMEDINS_CODE.replace(/^H/, '').slice(-11),
    dataDir: path.resolve(c.DATA_DIR),
    timeoutsMs,
  };
}

/**
 * Reads ./.env (or ENV_FILE) into process.env with Node's own process.loadEnvFile (Node ≥ 20.12);
 * variables already set win. Returns the file read, if any.
 */
export function loadDotEnv(file = process.env.ENV_FILE ?? '.env'): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const load = (process as { loadEnvFile?: (path: string) => void }).loadEnvFile;
  if (typeof load !== 'function') {
    process.stderr.write(`shyb-pay: ${file} ignored: loading it needs Node.js 20.12 or later (this is ${process.version})\n`);
    return undefined;
  }
  load.call(process, file);
  return file;
}

/** For process entry points: .env is read first; a bad value ends the process with one line. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) loadDotEnv();
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`shyb-pay: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** The UI's origin, plus its localhost/127.0.0.1 twin, so either address works in a browser. */
function uiOrigins(uiUrl: string): string[] {
  const u = new URL(uiUrl);
  const twin = u.hostname === '127.0.0.1' ? 'localhost' : u.hostname === 'localhost' ? '127.0.0.1' : undefined;
  return [u.origin, ...(twin ? [`${u.protocol}//${twin}${u.port ? `:${u.port}` : ''}`] : [])];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Without API_KEYS the API is for this host only: loopback bind, no proxy trusted. */
function edgeConfig(c: RawConfig, apiKeys: string[]): { apiHost: string; trustProxy: boolean | number | string[] } {
  if (apiKeys.length === 0) {
    if (c.API_HOST && !LOOPBACK_HOSTS.has(c.API_HOST) && !c.API_HOST.startsWith('127.')) {
      throw new ConfigError(`invalid configuration: API_HOST=${c.API_HOST} needs API_KEYS (without keys the API binds to loopback only)`);
    }
    if (c.TRUST_PROXY) throw new ConfigError('invalid configuration: TRUST_PROXY needs API_KEYS (without keys no proxy is trusted)');
    return { apiHost: c.API_HOST ?? '127.0.0.1', trustProxy: false };
  }
  return { apiHost: c.API_HOST ?? '0.0.0.0', trustProxy: parseTrustProxy(c.TRUST_PROXY) };
}

function parseTrustProxy(v: string | undefined): boolean | number | string[] {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    if (!['loopback', 'linklocal', 'uniquelocal'].includes(e) && !(isIP(addr ?? '') && (bits === undefined || /^\d{1,3}$/.test(bits)))) {
      throw new ConfigError(`invalid configuration: TRUST_PROXY: ${e} is not true/false, a hop count, an IP/CIDR or loopback/linklocal/uniquelocal`);
    }
  }
  return entries;
}
