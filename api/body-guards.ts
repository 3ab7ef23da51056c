import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Deepest JSON nesting any of our messages has (a settlement body is 4 levels, a push with a
 * parsed payResponse about 5). Far deeper input overflows the stack of Temporal's payload encoder.
 */
export const MAX_JSON_DEPTH = 32;

export class BodyError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly type = 'entity.invalid',
  ) {
    super(message);
  }
}

/** express.json's `verify`: invalid UTF-8 is refused, not silently turned into U+FFFD. */
export function refuseInvalidUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw new BodyError('body is not valid UTF-8', 400, 'encoding.invalid');
}

/** Nesting depth of a parsed JSON value, without recursion (so a hostile depth cannot overflow us). */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) stack.push([child, depth]);
  }
  return max;
}

/** Also a JSON string inside a field (payResponse) counts: it is parsed further down. */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string' && v.length > 2 * max && /^\s*[[{]/.test(v)) {
      // count bracket nesting directly: no parse needed to know it is too deep
      let d = 0;
      for (const ch of v) {
        if (ch === '{' || ch === '[') d++;
        else if (ch === '}' || ch === ']') d--;
        if (d > max) return true;
      }
    } else if (v !== null && typeof v === 'object') {
      if (jsonDepth(v, max) > max) return true;
      stack.push(...(Array.isArray(v) ? v : Object.values(v as object)));
    }
  }
  return false;
}

/** Middleware after express.json: bodies nested deeper than MAX_JSON_DEPTH are the client's error. */
export function refuseDeepJson(req: Request, _res: Response, next: NextFunction) {
  if (req.body !== undefined && tooDeep(req.body)) return next(new BodyError(`body is nested deeper than ${MAX_JSON_DEPTH} levels`, 400, 'entity.too.deep'));
  return next();
}
