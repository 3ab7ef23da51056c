import fc from 'fast-check';
import got from 'got';
import { formatDate } from '../../protocol/shanghai-time';
import { isAmount } from '../../protocol/money';
import { v13Sample } from '../fixtures';
import { hisPayRequest, operator } from '../helpers/api-client';
import { nationalEnvelope } from '../helpers/sim-client';
import { problemBody } from '../../api/errors';
import { startStack, type Stack } from '../helpers/stack';

// Property-based bad input against the API, the callback receiver and the simulator: every input
// gets a 4xx with the failing fields (or infcode -1 / C00x), never a 500; nothing is started or
// recorded; no process dies.
let stack: Stack;
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 120);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Res = { status: number; body: any };
async function post(url: string, body: string | object, headers: Record<string, string> = {}): Promise<Res> {
  const r = await got.post(url, {
    ...(typeof body === 'string' ? { body, headers: { 'content-type': 'application/json', ...headers } } : { json: body, headers }),
    throwHttpErrors: false,
    retry: { limit: 0 },
    responseType: 'text',
  });
  let parsed: unknown = r.body;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    // left as text; the assertions say what was expected
  }
  return { status: r.statusCode, body: parsed };
}

const countSettlements = () => stack.api.service.client.workflow.count(`TaskQueue = "${stack.config.TEMPORAL_TASK_QUEUE}"`).then((c) => c.count);
const inboxSize = async () => (await stack.api.service.queries.inbox(formatDate(Date.now()))).length;

const oddText = fc.oneof(
  fc.fullUnicodeString({ maxLength: 40 }),
  fc.constantFrom('\u0000', '\u202e测试\u202c', '😀'.repeat(30), '\ud800', 'Ｈ３１０', '<script>', "'; DROP TABLE x;--", '%00'),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** Not a JSON number: numbers are valid amounts (数字格式A), so they would not make every field invalid. */
const wrongTypeNoNumber = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

function encodable(t: string) {
  try {
    encodeURIComponent(t);
    return true;
  } catch {
    return false;
  }
}

const validBody = () => ({ ecToken: '310000ect0000000000000000badinput', operator: { ...operator }, payRequest: hisPayRequest('801874939') });
const REQUIRED: Array<[string[], number]> = [
  [['operator'], 0],
  [['payRequest'], 0],
  [['operator', 'opter'], 30],
  [['operator', 'opter_name'], 50],
  [['payRequest', 'psn_no'], 30],
  [['payRequest', 'mdtrt_id'], 30],
  [['payRequest', 'chrg_bchno'], 30],
  [['payRequest', 'med_type'], 6],
  [['payRequest', 'insutype'], 6],
  [['payRequest', 'psn_setlway'], 6],
];

function setPath(o: any, p: string[], v: unknown) {
  let x = o;
  for (const k of p.slice(0, -1)) x = x[k];
  if (v === undefined) delete x[p.at(-1)!];
  else x[p.at(-1)!] = v;
}

/** Mutations that each make a valid body invalid. */
const invalidBody = fc.oneof(
  fc.constantFrom(...REQUIRED).map(([p]) => ({ path: p, value: undefined as unknown })),
  fc.tuple(fc.constantFrom(...REQUIRED), wrongType).map(([[p], v]) => ({ path: p, value: v as unknown })),
  fc
    .tuple(fc.constantFrom(...REQUIRED.filter(([, max]) => max > 0)), fc.integer({ min: 1, max: 5000 }), oddText)
    .map(([[p, max], extra, t]) => ({ path: p, value: 'x'.repeat(max + extra) + t })),
  fc
    .string({ maxLength: 20 })
    .filter((s) => !isAmount(s) || s.includes('-') || s.trim() !== s || /^0*(\.0*)?$/.test(s))
    .map((s) => ({ path: ['payRequest', 'medfee_sumamt'], value: s as unknown })),
  fc.constantFrom('1', '3', '6', '', '45').map((t) => ({ path: ['operator', 'opter_type'], value: t as unknown })),
  fc
    .tuple(
      fc
        .string({ minLength: 1, maxLength: 10 })
        .filter(
          (k) =>
            !['ecToken', 'operator', 'payRequest', 'pName', 'pIdNo', 'wuqiPayRequest', 'idempotencyKey', 'ecQrCode', 'ecQrChannel', '__proto__'].includes(k),
        ),
      fc.jsonValue(),
    )
    .map(([k, v]) => ({ path: [k], value: v as unknown })),
);

describe('API', () => {
  test('invalid settlement bodies get 400 with the failing fields, and start nothing', async () => {
    const before = await countSettlements();
    await fc.assert(
      fc.asyncProperty(invalidBody, async (m) => {
        const b = validBody();
        setPath(b, m.path, m.value);
        const r = await post(`${stack.api.url}/api/settlements`, b);
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
        expect(Array.isArray(r.body.errors) && r.body.errors.length > 0).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(await countSettlements()).toBe(before);
  });

  test('any JSON value is refused cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
        const r = await post(`${stack.api.url}/api/settlements`, JSON.stringify(v));
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ code: expect.stringMatching(/^(VALIDATION_FAILED|INVALID_BODY)$/), detail: expect.any(String) });
      }),
      { numRuns: RUNS },
    );
  });

  test('malformed JSON and huge bodies are 4xx, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
        async (s) => {
          const r = await post(`${stack.api.url}/api/settlements`, s);
          expect(r.status).toBe(400);
          expect(r.body).toEqual(problemBody('INVALID_BODY', 'body is not valid JSON'));
        },
      ),
      { numRuns: RUNS },
    );
    const huge = await post(`${stack.api.url}/api/settlements`, { ...validBody(), pName: 'x'.repeat(400_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual(problemBody('PAYLOAD_TOO_LARGE', 'body too large'));
  });

  test('JSON nested past 32 levels anywhere in the body is a clear 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['wuqiPayRequest'], ['payRequest', 'exp_content'], ['pName'], ['operator', 'opter']),
        fc.integer({ min: 33, max: 10_000 }),
        fc.boolean(),
        async (where, depth, asArray) => {
          const b = validBody();
          setPath(b, where, '__DEEP__');
          const deep = (asArray ? '[' : '{"x":').repeat(depth) + '0' + (asArray ? ']' : '}').repeat(depth);
          const r = await post(`${stack.api.url}/api/settlements`, JSON.stringify(b).replace('"__DEEP__"', deep));
          expect(r.status).toBe(400);
          expect(r.body.detail).toMatch(/nested deeper than 32 levels/);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('medfee_sumamt beyond what fen count exactly is 400 naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 9007199254740992n, max: 99999999999999999n }), async (fen) => {
        const yuan = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        const b = validBody();
        b.payRequest.medfee_sumamt = yuan;
        const r = await post(`${stack.api.url}/api/settlements`, b);
        expect(r.status).toBe(400);
        expect(r.body.errors.map((d: any) => d.path)).toEqual(['payRequest.medfee_sumamt']);
      }),
      { numRuns: 40 },
    );
  });

  test('invalid UTF-8 in any string is refused, never altered', async () => {
    const invalidUtf8 = fc.oneof(
      fc.constantFrom([0xff], [0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]),
      fc.integer({ min: 0x80, max: 0xbf }).map((b) => [b]), // a lone continuation byte
      fc.integer({ min: 0xc2, max: 0xf4 }).map((b) => [b, 0x41]), // a lead byte without its continuation
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(['pName'], ['operator', 'opter_name'], ['payRequest', 'mdtrt_id'], ['ecToken']), invalidUtf8, async (where, bytes) => {
        const b = validBody();
        setPath(b, where, '__BAD__');
        const json = Buffer.from(JSON.stringify(b));
        const at = json.indexOf('__BAD__');
        const body = Buffer.concat([json.subarray(0, at), Buffer.from(bytes), json.subarray(at + 7)]);
        const r = await got.post(`${stack.api.url}/api/settlements`, {
          body,
          headers: { 'content-type': 'application/json' },
          throwHttpErrors: false,
          retry: { limit: 0 },
          responseType: 'json',
        });
        expect(r.statusCode).toBe(400);
        expect(r.body).toEqual(problemBody('INVALID_BODY', 'body is not valid UTF-8'));
      }),
      { numRuns: 60 },
    );
  });

  test('path and query parameters are validated', async () => {
    await fc.assert(
      fc.asyncProperty(
        oddText.filter((t) => t.trim() !== '' && t !== '.' && t !== '..' && encodable(t)),
        async (t) => {
          const r = await got.get(`${stack.api.url}/api/settlements/${encodeURIComponent(t)}`, { throwHttpErrors: false, responseType: 'json' });
          expect([400, 404]).toContain(r.statusCode);
          const q = await got.get(`${stack.api.url}/api/settlements?status=${encodeURIComponent(t)}`, { throwHttpErrors: false, responseType: 'json' });
          expect(q.statusCode).toBe(400);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('callback receiver', () => {
  const OUTPUT_FIELDS = ['ecToken', 'payStatus', 'payResponse', 'gmt', 'channel', 'orderNo', 'tradeNo', 'amount', 'billTime'];

  test('mutated SE03 pushes get 400 with infcode -1 and leave no trace', async () => {
    const before = await inboxSize();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OUTPUT_FIELDS),
        fc.oneof(
          fc.constant(undefined),
          wrongTypeNoNumber,
          oddText.map((t) => 'x'.repeat(300) + t),
        ),
        async (field, value) => {
          const push = v13Sample('se03-push');
          if (value === undefined) delete push.output[field];
          else push.output[field] = value;
          const r = await post(`${stack.api.url}/shyb/notify/nation`, push);
          expect(r.status).toBe(400);
          expect(r.body.infcode).toBe(-1);
          expect(r.body.err_msg).toMatch(/invalid SE03 push/);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await inboxSize()).toBe(before);
  });

  test('a push whose own content is hostile (deep JSON, invalid UTF-8) gets 400 infcode -1 / C001, never a 503', async () => {
    const before = await inboxSize();
    const paths = ['/shyb/notify/nation', '/shyb/refund/nation', '/shyb/notify', '/shyb/refund'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.integer({ min: 33, max: 10_000 }), fc.boolean(), fc.boolean(), async (p, depth, inString, badBytes) => {
        const nation = p.endsWith('/nation');
        const sample = v13Sample(p.includes('refund') ? 'se05-push' : 'se03-push');
        const output = { ...sample.output, payResponse: '__DEEP__' };
        const push = nation ? { ...sample, output } : { xxnr: output };
        const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        let body = Buffer.from(JSON.stringify(push).replace('"__DEEP__"', inString ? JSON.stringify(deep) : deep));
        if (badBytes) body = Buffer.concat([body.subarray(0, 20), Buffer.from([0xc3]), body.subarray(21)]);
        const r = await got.post(`${stack.api.url}${p}`, {
          body,
          headers: { 'content-type': 'application/json' },
          throwHttpErrors: false,
          retry: { limit: 0 },
          responseType: 'json',
        });
        expect(r.statusCode).toBe(400);
        if (nation) expect(r.body).toMatchObject({ infcode: -1 });
        else expect(r.body).toMatchObject({ xxfhm: 'C001' });
      }),
      { numRuns: 60 },
    );
    expect(await inboxSize()).toBe(before);
  });

  test('any JSON to any push path is refused cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/shyb/notify/nation', '/shyb/refund/nation', '/shyb/notify', '/shyb/refund'),
        fc.jsonValue({ maxDepth: 3 }),
        async (p, v) => {
          const r = await post(`${stack.api.url}${p}`, JSON.stringify(v));
          expect(r.status).toBe(400);
          if (p.endsWith('/nation')) expect(r.body.infcode).toBe(-1);
          else expect(r.body.xxfhm).toBe('C001');
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('simulator', () => {
  test('any JSON to the national route gets infcode -1, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (v) => {
        const r = await post(`${stack.sim.url}/gjptqzyy-test/api/v1/route`, JSON.stringify(v));
        expect(r.status).toBe(200);
        expect(r.body.infcode).toBe(-1);
        expect(typeof r.body.err_msg).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });

  test('SE02 inputs with wrong fields get infcode -1 naming them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('orderNo', 'ecToken', 'payRequest'),
        fc.oneof(
          wrongType,
          oddText.map((t) => 'y'.repeat(600) + t),
        ),
        async (field, value) => {
          const input: Record<string, unknown> = { orderNo: 'H3101100005320220303204125000523664', ecToken: 'tok', payRequest: { data: {} } };
          input[field] = value;
          const r = await post(`${stack.sim.url}/gjptqzyy-test/api/v1/route`, nationalEnvelope('SE02', input));
          expect(r.body.infcode).toBe(-1);
          expect(r.body.err_msg).toMatch(/入参校验失败|令牌/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('any JSON to 五期 gets C001/C002, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (v) => {
        const r = await post(`${stack.sim.url}/wuqi`, JSON.stringify(v));
        expect(r.status).toBe(200);
        expect(['C001', 'C002']).toContain(r.body.xxfhm);
      }),
      { numRuns: RUNS },
    );
  });
});

test('after all that, every process still answers', async () => {
  expect((await got.get(`${stack.api.url}/healthz`, { responseType: 'json' })).body).toMatchObject({ temporal: 'ok', platform: 'ok' });
  expect((await got.get(`${stack.sim.url}/__sim/ledger`)).statusCode).toBe(200);
});
