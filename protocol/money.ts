import Decimal from 'decimal.js';

// Money is integer fen everywhere it is compared or summed. Decimal.js parses the platform's
// textual and numeric forms ("5000.0", 5000.00, "5000.00") without going through binary floats.

export type Fen = number & { readonly __fen: unique symbol };

const MAX_FEN = Number.MAX_SAFE_INTEGER;

export class MoneyError extends Error {}

/** Parses a yuan amount (string or JSON number) into integer fen; rejects more than 2 decimals. */
export function toFen(value: string | number): Fen {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new MoneyError(`not an amount: ${JSON.stringify(value)}`);
  const fen = new Decimal(text).times(100);
  if (!fen.isInteger()) throw new MoneyError(`more than 2 decimals: ${text}`);
  if (fen.abs().greaterThan(MAX_FEN)) throw new MoneyError(`amount out of range: ${text}`);
  return fen.toNumber() as Fen;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError(`not a finite amount: ${n}`);
  // toString of a JSON-parsed number is the shortest round-trip text, e.g. 5000.1 -> "5000.1".
  return new Decimal(n).toFixed();
}

export function isAmount(value: unknown, decimals = 2): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    const text = typeof value === 'number' ? numberText(value) : value.trim();
    if (!/^-?\d{1,14}(\.\d+)?$/.test(text)) return false;
    return new Decimal(text).decimalPlaces() <= decimals;
  } catch {
    return false;
  }
}

/** Integer fen -> "123.45" (数字格式A). */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new MoneyError(`fen must be an integer: ${fen}`);
  return new Decimal(fen).dividedBy(100).toFixed(2);
}

/**
 * Exact fen as a bigint: for sums that may pass Number.MAX_SAFE_INTEGER fen (a day's totals),
 * where toFen's number would be refused or rounded. One amount is still at most 2 decimals.
 */
export function toFenBig(value: string | number): bigint {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new MoneyError(`not an amount: ${JSON.stringify(value)}`);
  const [int, frac = ''] = text.replace(/^-/, '').split('.');
  if (frac.replace(/0+$/, '').length > 2) throw new MoneyError(`more than 2 decimals: ${text}`);
  const fen = BigInt(int!) * 100n + BigInt((frac + '00').slice(0, 2));
  return text.startsWith('-') ? -fen : fen;
}

/** bigint fen -> "123.45" (数字格式A), exact at any size. */
export function formatYuanBig(fen: bigint): string {
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function sameAmount(a: string | number, b: string | number): boolean {
  return toFen(a) === toFen(b);
}

export function sumFen(values: Array<string | number>): Fen {
  return values.reduce<number>((acc, v) => acc + toFen(v), 0) as Fen;
}

/**
 * The amount in fen (for every comparison) and as 数字格式A text with 2 decimals (for views): the platform
 * writes one sum as "5000.0", "5000.00" or 5000 (V13 samples), so the text as sent is never compared.
 * Already validated by amount() (protocol/zod-helpers.ts). Used for every amount in a pay or refund result.
 */
export function amountFields(a: string | number | null | undefined): { amount?: string; amountFen?: number } {
  if (a === undefined || a === null) return {};
  const fen = toFen(a);
  return { amount: formatYuan(fen), amountFen: fen };
}
