import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { Logger as SdkLogger, LogLevel as SdkLogLevel, LogMetadata } from '@temporalio/common';

/**
 * What one log line is about: the HTTP request (X-Request-Id) and the order. Set once where a
 * request or an activity starts; every line logged inside carries it (pino's mixin).
 */
export interface LogContext {
  requestId?: string;
  orderNo?: string;
}
export const logContext = new AsyncLocalStorage<LogContext>();
export const withLogContext = <T>(ctx: LogContext, fn: () => T): T => logContext.run({ ...logContext.getStore(), ...ctx }, fn);

// Names and ID numbers are personal data: never logged in clear. pino's redaction covers the
// known keys at any depth we log; maskPersonal() covers free text (e.g. an err_msg echoing input).
const PERSONAL_KEYS = ['pName', 'pIdNo', 'psn_name', 'certno', 'idno', 'username', 'personname', 'name', 'idNo'];

export const redactPaths = PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    name,
    level,
    mixin: () => ({ ...logContext.getStore() }),
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

const SDK_LEVELS: Record<SdkLogLevel, pino.Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal SDK's logs (its own, the workers' and core's forwarded ones) as pino JSON lines.
 * Metadata such as workflowId and activityType is kept; the SDK's own `sdkComponent` too.
 */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly pinoLog: pino.Logger) {}

  log(level: SdkLogLevel, message: string, meta?: LogMetadata): void {
    const clean = meta ? Object.fromEntries(Object.entries(meta).filter(([, v]) => typeof v !== 'function')) : {};
    this.pinoLog[SDK_LEVELS[level] ?? 'info'](clean, message);
  }
  trace = (m: string, meta?: LogMetadata) => this.log('TRACE', m, meta);
  debug = (m: string, meta?: LogMetadata) => this.log('DEBUG', m, meta);
  info = (m: string, meta?: LogMetadata) => this.log('INFO', m, meta);
  warn = (m: string, meta?: LogMetadata) => this.log('WARN', m, meta);
  error = (m: string, meta?: LogMetadata) => this.log('ERROR', m, meta);
}
