import { z } from 'zod';
import { isAmount } from './money';
import { DATE_TIME_RE } from './shanghai-time';

/** A string of at most `max` characters (the spec's 最大长度). */
export const str = (max: number) => z.string().max(max, `at most ${max} characters`);
export const nonEmpty = (max: number) => str(max).min(1, 'must not be empty');

/**
 * Text we send on to the platform or show to staff: no control characters (C0, DEL, C1), no bidi
 * embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069: they make a field read other
 * than it is), no markup (< and >: no field of ours holds any, and a console or a log may render it).
 */
const UNSAFE_TEXT = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069<>]/;
export const UNSAFE_TEXT_MESSAGE = 'must not contain control characters, bidi controls (U+202A–U+202E, U+2066–U+2069) or markup (< >)';
export const isSafeText = (v: string) => !UNSAFE_TEXT.test(v);
/** A string schema that also refuses unsafe text (see isSafeText). */
export const safe = <T extends z.ZodString>(s: T) => s.refine(isSafeText, UNSAFE_TEXT_MESSAGE);
export const safeStr = (max: number) => safe(str(max));
export const safeNonEmpty = (max: number) => safe(nonEmpty(max));

/** 数字格式A / 数值型16,2: a JSON number or a decimal string with at most `decimals` places. */
export const amount = (decimals = 2) =>
  z.union([z.string(), z.number()]).refine((v) => isAmount(v, decimals), {
    message: `must be an amount with at most ${decimals} decimals`,
  });

export const dateTime = z.string().regex(DATE_TIME_RE, 'must be yyyy-MM-dd HH:mm:ss');
/** 日期格式 of billTime: the samples use yyyyMMdd; yyyy-MM-dd is accepted too. */
export const billDate = z.string().regex(/^(\d{8}|\d{4}-\d{2}-\d{2})$/, 'must be yyyyMMdd or yyyy-MM-dd');

/** A JSON value carried either as an object or as a JSON string (payRequest, payResponse). */
export function jsonStringOr<T extends z.ZodTypeAny>(schema: T) {
  return z.union([z.string(), z.record(z.unknown())]).transform((v, ctx): z.output<T> => {
    let value: unknown = v;
    if (typeof v === 'string') {
      try {
        value = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not valid JSON' });
        return z.NEVER;
      }
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    }
    return parsed.data;
  });
}

export interface FieldError {
  path: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/** One line for err_msg / logs: "input.ecToken: Required; opter_type: must be 4 or 5". */
export function describeZodError(error: z.ZodError): string {
  return fieldErrors(error)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
}
