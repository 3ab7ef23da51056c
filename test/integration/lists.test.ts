import got from 'got';
import { formatDate } from '../../protocol/shanghai-time';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

// Issue 20 item 6: cursor pages on GET /api/settlements and GET /api/reviews, reconciliation over a range of
// days, and a problem+json 400 for a cursor or range that is not one. The stack's own task queue scopes
// both lists, so the counts below are this file's orders only.
let stack: Stack;
let api: ReturnType<typeof apiClient>;
const paid: string[] = [];
const review: string[] = [];
/** The Shanghai day of this file's orders and the day before, taken when the orders are made (not at module load). */
let today: string;
let yesterday: string;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
  const p = stack.sim.platform;
  today = formatDate(Date.now());
  yesterday = formatDate(Date.now() - 86_400_000);
  for (const medfee of ['11.00', '12.00', '13.00']) paid.push(await api.settle(p.issueToken('employee'), '801874939', medfee));
  // a -1 push SE04 cannot confirm: NEEDS_REVIEW at the deadline
  for (const medfee of ['14.00', '15.00']) review.push(await api.settle(p.issueToken('pay-fails'), '801874944', medfee));
  for (const o of paid) await api.until(o, (v) => v.status === 'PAID');
  for (const o of review) await api.until(o, (v) => v.status === 'NEEDS_REVIEW', 30_000);
}, 90_000);

afterAll(async () => {
  await stack?.close();
});

/** Every page of a list, following nextCursor; the pages' sizes beside. */
async function allPages(path: '/api/settlements' | '/api/reviews', query: Record<string, unknown>) {
  const sizes: number[] = [];
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const r = await api.typed.GET(path, { params: { query: { ...query, ...(cursor ? { cursor } : {}) } as never } });
    expect(r.response.status).toBe(200);
    sizes.push(r.data!.items.length);
    items.push(...r.data!.items);
    cursor = r.data!.nextCursor;
  } while (cursor && sizes.length < 20);
  return { sizes, items };
}

async function problem(url: string) {
  const r = await got.get(`${stack.api.url}${url}`, { throwHttpErrors: false, responseType: 'json', retry: { limit: 0 } });
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  return { status: r.statusCode, body: r.body as any };
}

test('GET /api/settlements pages by cursor: every order once, no page over limit', async () => {
  // visibility catches up with the last status change within a moment
  const { sizes, items } = await waitFor(async () => {
    const all = await allPages('/api/settlements', { limit: 2 });
    return all.items.length === 5 ? all : undefined;
  }, 10_000);
  expect(sizes.every((n) => n <= 2)).toBe(true);
  expect(sizes.length).toBeGreaterThanOrEqual(3);
  expect(new Set(items.map((i) => i.orderNo))).toEqual(new Set([...paid, ...review]));
  expect(items).toHaveLength(5); // no order twice

  // a filter pages too, and its cursor carries on with the same filter only
  const first = await api.typed.GET('/api/settlements', { params: { query: { status: 'PAID', limit: 2 } } });
  expect(first.data!.items.map((i) => i.orderNo).every((o) => paid.includes(o))).toBe(true);
  const next = first.data!.nextCursor!;
  expect(next).toEqual(expect.any(String));
  const rest = await api.typed.GET('/api/settlements', { params: { query: { status: 'PAID', limit: 2, cursor: next } } });
  expect(new Set([...first.data!.items, ...rest.data!.items].map((i) => i.orderNo))).toEqual(new Set(paid));

  const other = await problem(`/api/settlements?status=NEEDS_REVIEW&limit=2&cursor=${next}`);
  expect(other.status).toBe(400);
  expect(other.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'cursor' }] });
});

test('GET /api/reviews pages by cursor', async () => {
  const { sizes, items } = await waitFor(async () => {
    const all = await allPages('/api/reviews', { limit: 1 });
    return all.items.length === 2 ? all : undefined;
  }, 10_000);
  expect(sizes.every((n) => n <= 1)).toBe(true);
  expect(items.map((i) => i.orderNo).sort()).toEqual([...review].sort());
  expect(items.every((i) => typeof i.reason === 'string' && i.medfeeSumamt)).toBe(true);
});

test.each([
  ['not base64 JSON', '/api/settlements?cursor=%25%25%25'],
  ['JSON of another shape', `/api/settlements?cursor=${Buffer.from(JSON.stringify({ i: 3 })).toString('base64url')}`],
  ['an inbox cursor on the review list', `/api/reviews?cursor=${Buffer.from(JSON.stringify({ i: 0 })).toString('base64url')}`],
  [
    'a cursor of another list (its fingerprint)',
    `/api/reviews?cursor=${Buffer.from(JSON.stringify({ p: 'bm90IGEgdG9rZW4=', f: '0123456789abcdef' })).toString('base64url')}`,
  ],
])('a cursor that is %s is a 400 problem on cursor', async (_what, url) => {
  const r = await problem(url);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, errors: [expect.objectContaining({ path: 'cursor' })] });
});

test('a token the server cannot read, under the right fingerprint, is a 400 too (not a 500)', async () => {
  const first = await api.typed.GET('/api/settlements', { params: { query: { limit: 1 } } });
  const { f } = JSON.parse(Buffer.from(first.data!.nextCursor!, 'base64url').toString()) as { f: string };
  const forged = Buffer.from(JSON.stringify({ p: Buffer.from('garbage token').toString('base64'), f })).toString('base64url');
  const r = await problem(`/api/settlements?limit=1&cursor=${forged}`);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'cursor' }] });
});

test('GET /api/reconciliation?from&to reports the days of the range in one report', async () => {
  const r = await api.typed.GET('/api/reconciliation', { params: { query: { from: yesterday, to: today } } });
  expect(r.response.status).toBe(200);
  const range = r.data as Exclude<NonNullable<typeof r.data>, string>; // JSON, not the CSV variant
  expect(range).toMatchObject({ date: `${yesterday}/${today}`, from: yesterday, to: today });
  const day = (await api.reconciliation(today)).body;
  expect(day).toMatchObject({ date: today, from: today, to: today });
  // all of this file's orders were made today: the range holds the same rows and totals as the day
  const ours = new Set([...paid, ...review]);
  expect(range.rows.filter((x) => ours.has(x.orderNo))).toEqual(day.rows.filter((x: any) => ours.has(x.orderNo)));
  expect(range.totals).toEqual(day.totals);
  expect(
    range.rows
      .filter((x) => x.type === 'SETTLEMENT' && x.status === 'PAID')
      .map((x) => x.orderNo)
      .sort(),
  ).toEqual([...paid].sort());
  expect(new Set(range.flags.needsReview.map((f) => f.orderNo))).toEqual(new Set(review));

  const csv = await got.get(`${stack.api.url}/api/reconciliation?from=${yesterday}&to=${today}`, { headers: { accept: 'text/csv' } });
  expect(csv.headers['content-disposition']).toBe(`attachment; filename="reconciliation-${yesterday}_${today}.csv"`);
});

// each query string is made when its test runs, from the day of the orders
test.each([
  ['to before from', () => `from=${today}&to=${yesterday}`, 'to'],
  ['more than 31 days', () => 'from=2026-01-01&to=2026-02-01', 'to'],
  ['not a calendar date', () => 'from=2026-02-30&to=2026-03-02', 'from'],
  ['from without to', () => `from=${today}`, 'to'],
  ['date with a range', () => `date=${today}&from=${today}&to=${today}`, 'date'],
  ['nothing', () => '', 'from'],
])('a range that is %s is a 400 problem naming the field', async (_what, qs, field) => {
  const r = await problem(`/api/reconciliation?${qs()}`);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: field }] });
});

test('31 days is a range', async () => {
  const r = await api.typed.GET('/api/reconciliation', { params: { query: { from: '2026-01-01', to: '2026-01-31' } } });
  expect(r.response.status).toBe(200);
  expect((r.data as { date: string }).date).toBe('2026-01-01/2026-01-31');
});

test('/metrics counts the review backlog from visibility and shows the 9001 sign-in state (the dashboard reads both)', async () => {
  const page = await got.get(`${stack.api.url}/metrics`).text();
  expect(page).toMatch(/^shyb_review_backlog 2$/m);
  expect(page).toMatch(/^shyb_sign_in_state\{opter_no="[^"]+",state="SIGNED_IN"\} 1$/m);
});
