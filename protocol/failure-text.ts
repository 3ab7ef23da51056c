// What we keep of a failed payment's payResponse (SE03 payStatus -1, national or 五期). V13 §2.3.2 and
// 五期 §4.8.3 define payResponse for a settled payment only (the 2207 output / the xxnr of the offline
// answer); for a failure neither says what it holds, and a platform may echo the person in it (name,
// certno, psn_no, brdy). This text becomes the order's reason, an event, a webhook and log lines, so it
// keeps codes and messages only, scrubbed, never the payResponse itself.

const MAX_TEXT = 120;

/** Error codes of the envelopes we know: national 表4 infcode, 五期 §3.2.1 xxfhm, and common spellings. */
const CODE_KEYS = new Set(['infcode', 'xxfhm', 'code', 'errcode', 'err_code', 'error_code', 'retcode', 'ret_code', 'resultcode', 'result_code']);
/** Messages beside them: national err_msg, 五期 fhxx, and common spellings. */
const MESSAGE_KEYS = new Set(['err_msg', 'errmsg', 'fhxx', 'msg', 'message', 'error', 'error_msg', 'errormsg', 'reason']);
/** Keys naming a person (national setlinfo, 五期 xxnr, SE01): their values are scrubbed wherever they recur. */
const PERSONAL_KEYS = new Set([
  'name',
  'psn_name',
  'pname',
  'username',
  'personname',
  'xm',
  'certno',
  'idno',
  'pidno',
  'sfzh',
  'zjhm',
  'psn_no',
  'psnno',
  'brdy',
  'birthday',
  'csrq',
  'cardid',
  'kh',
  'tel',
  'phone',
  'mob',
  'mobile',
  'addr',
  'address',
]);
const SAFE_CODE = /^[-\w.]{1,32}$/;

/** A failed payment's payResponse as a short text of its codes and scrubbed messages. */
export function safeFailureText(payResponse: unknown): string {
  const parsed = parseMaybeJson(payResponse);
  if (typeof parsed === 'string' || typeof parsed === 'number') return cap(scrub(String(parsed), []));
  if (!parsed || typeof parsed !== 'object') return 'payStatus -1';
  const personal = personalValues(parsed);
  const { codes, messages } = codesAndMessages(parsed as Record<string, unknown>);
  const parts = [...codes.map((c) => `code ${c}`), ...messages.map((m) => scrub(m, personal))].filter(Boolean);
  return parts.length ? cap(parts.join(': ')) : 'payStatus -1 (payResponse without an error code or message)';
}

/**
 * Free text with what identifies a person taken out: the given personal values, ID-card-like and long
 * digit runs (ID, psn_no, card and phone numbers) and dates (a birth date). CJK names in free text are
 * not recognisable as such; the known values of the same payResponse are.
 */
export function scrub(text: string, personal: string[]): string {
  let out = text;
  for (const v of personal.sort((a, b) => b.length - a.length)) out = out.split(v).join('*'.repeat(Math.min([...v].length, 8)));
  return out
    .replace(/(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dXx])/g, (m) => `${m.slice(0, 6)}***********${m.slice(-1)}`)
    .replace(/(?<![\d*])\d{6,14}(?![\d*])/g, (m) => '*'.repeat(m.length - 2) + m.slice(-2))
    .replace(/\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?/g, '****-**-**');
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}

function personalValues(v: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 5 || !v || typeof v !== 'object') return out;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if ((typeof x === 'string' || typeof x === 'number') && PERSONAL_KEYS.has(k.toLowerCase()) && String(x).length >= 2) out.push(String(x));
    else personalValues(parseMaybeJson(x), depth + 1, out);
  }
  return out;
}

/** Codes and messages at the top level and one level down (an envelope's output node). */
function codesAndMessages(o: Record<string, unknown>, depth = 0): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    const key = k.toLowerCase();
    if (CODE_KEYS.has(key) && (typeof v === 'string' || typeof v === 'number') && SAFE_CODE.test(String(v))) codes.push(String(v));
    else if (MESSAGE_KEYS.has(key) && typeof v === 'string' && v.trim()) messages.push(v.trim());
    else if (depth === 0 && v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = codesAndMessages(v as Record<string, unknown>, 1);
      codes.push(...inner.codes);
      messages.push(...inner.messages);
    }
  }
  return { codes: codes.slice(0, 2), messages: messages.slice(0, 2) };
}

const cap = (s: string) => ([...s].length > MAX_TEXT ? [...s].slice(0, MAX_TEXT - 1).join('') + '…' : s);
