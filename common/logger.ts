import pino from 'pino';

// Names and ID numbers are personal data: never logged in clear. pino's redaction covers the
// known keys at any depth we log; maskPersonal() covers free text (e.g. an err_msg echoing input).
const PERSONAL_KEYS = ['pName', 'pIdNo', 'psn_name', 'certno', 'idno', 'username', 'personname', 'name', 'idNo'];

export const redactPaths = PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: redactPaths, censor: (v: unknown) => (typeof v === 'string' ? maskPersonal(v) : '[redacted]') },
    // free text (msg, err_msg echoes) is masked too
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskPersonal(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;

/** Masks 18-digit ID numbers (keep first 6 and last 1) and, for short texts, CJK names. */
export function maskPersonal(text: string): string {
  const ids = text.replace(/\b(\d{6})\d{11}([\dXx])\b/g, '$1***********$2');
  if (/^[\u4e00-\u9fff·]{2,20}$/.test(ids)) return ids[0] + '*'.repeat(ids.length - 1);
  return ids;
}
