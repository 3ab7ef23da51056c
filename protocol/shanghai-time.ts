// Asia/Shanghai has been UTC+8 with no DST since 1991, so a fixed offset is exact and does not
// depend on the machine's TZ or ICU data.
const OFFSET_MS = 8 * 60 * 60 * 1000;

export interface ShanghaiParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  millis: string;
}

export function shanghaiParts(epochMs: number): ShanghaiParts {
  const d = new Date(epochMs + OFFSET_MS);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(d.getUTCFullYear()).padStart(4, '0'),
    month: p2(d.getUTCMonth() + 1),
    day: p2(d.getUTCDate()),
    hour: p2(d.getUTCHours()),
    minute: p2(d.getUTCMinutes()),
    second: p2(d.getUTCSeconds()),
    millis: String(d.getUTCMilliseconds()).padStart(3, '0'),
  };
}

/** yyyy-MM-dd HH:mm:ss (national inf_time, 五期 jysj) */
export function formatDateTime(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** yyyy-MM-dd */
export function formatDate(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.year}-${p.month}-${p.day}`;
}

/** yyyyMMddHHmmss */
export function compactSeconds(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

/** yyyyMMddHHmmssSSS */
export function compactMillis(epochMs: number): string {
  return compactSeconds(epochMs) + shanghaiParts(epochMs).millis;
}

/** yyyyMMdd */
export function compactDate(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.year}${p.month}${p.day}`;
}

/** Parses `yyyy-MM-dd HH:mm:ss` as Shanghai time. Returns epoch ms or NaN. */
export function parseDateTime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) - OFFSET_MS;
}

/** Start and end (exclusive) epoch ms of a Shanghai calendar day `yyyy-MM-dd`. */
export function shanghaiDayRange(date: string): { from: number; to: number } {
  const from = parseDateTime(`${date} 00:00:00`);
  return { from, to: from + 24 * 60 * 60 * 1000 };
}

export const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
