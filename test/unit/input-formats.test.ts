import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSettlementSchema, ecTokenSchema, identitySchema, resolveSchema } from '../../api/schemas';
import { se03Push } from '../../protocol/se-messages';
import { fieldErrors } from '../../protocol/zod-helpers';
import { v13Sample } from '../fixtures';

// Issue 20 item 4: what goes on to the platform or to staff refuses control characters, bidi controls
// and markup, naming the field; an ecToken has the form the V13 samples show.
const ROOT = path.resolve(__dirname, '../..');
const tokensIn = (text: string) => [...text.matchAll(/"ecToken"\s*:\s*"([^"]*)"/g)].map((m) => m[1]!);

test('every ecToken in the V13 spec and in the V13 fixtures is accepted', () => {
  const fixtures = fs.readdirSync(path.join(ROOT, 'test/fixtures')).filter((f) => /^v13-.*\.json$/.test(f));
  const tokens = new Set([
    ...fixtures.flatMap((f) => tokensIn(fs.readFileSync(path.join(ROOT, 'test/fixtures', f), 'utf8'))),
    ...tokensIn(fs.readFileSync(path.resolve(__dirname, '../../../shared/spec/shanghai-mobile-payment-v13.txt'), 'utf8')),
  ]);
  expect(tokens.size).toBeGreaterThanOrEqual(2);
  for (const t of tokens) expect({ t, ok: ecTokenSchema.safeParse(t).success }).toEqual({ t, ok: true });
  // the simulator's: 310000ect + 28 hex digits
  expect(ecTokenSchema.safeParse('310000ect0123456789abcdef0123456789ab').success).toBe(true);
});

test.each([
  ['markup', '<img src=x onerror=alert(1)>'],
  ['a NUL', '310000ect7tf9a003v0b230aa80000f6028\u0000ab'],
  ['a right-to-left override', '310000ect7tf9a003v0b230aa8\u202E0000f60289ab'],
  ['upper case', '310000ECT7TF9A003V0B230AA80000F60289AB'],
  ['no area code', 'ect7tf9a003v0b230aa80000f60289ab'],
  ['64 characters', `310000ect${'a'.repeat(55)}`],
  ['a dash', '310000ect7tf9a003v0b230-a80000f60289ab'],
])('an ecToken with %s is refused', (_name, token) => {
  expect(ecTokenSchema.safeParse(token).success).toBe(false);
});

const base = () => ({
  ecToken: '310000ect7tf9a003v0b230aa80000f60289ab',
  operator: { opter: '0018', opter_name: '测试操作员', opter_type: '5' },
  payRequest: {
    psn_no: '801874939',
    mdtrt_id: 'M1',
    chrg_bchno: 'SF01',
    med_type: '11',
    medfee_sumamt: '1.00',
    insutype: '310',
    acct_used_flag: '0',
    psn_setlway: '01',
    invono: 'INV1',
  },
  pName: '测试人员',
});
const paths = (r: { success: boolean; error?: import('zod').ZodError }) => (r.success ? [] : fieldErrors(r.error!).map((e) => e.path));

describe.each([
  ['a control character', '\u0007'],
  ['DEL', '\u007F'],
  ['a C1 control', '\u0085'],
  ['LRE (U+202A)', '\u202A'],
  ['RLO (U+202E)', '\u202E'],
  ['LRI (U+2066)', '\u2066'],
  ['PDI (U+2069)', '\u2069'],
  ['<', '<'],
  ['>', '>'],
])('%s', (_name, bad) => {
  test.each([
    ['payRequest', 'psn_no'],
    ['payRequest', 'mdtrt_id'],
    ['payRequest', 'chrg_bchno'],
    ['payRequest', 'med_type'],
    ['payRequest', 'insutype'],
    ['payRequest', 'psn_setlway'],
    ['payRequest', 'invono'],
    ['payRequest', 'exp_content'],
    ['payRequest', 'pub_hosp_rfom_flag'],
    ['operator', 'opter'],
    ['operator', 'opter_name'],
  ])('in %s.%s is refused naming the field', (part, field) => {
    const b = base() as any;
    b[part][field] = `A${bad}1`;
    expect(paths(createSettlementSchema.safeParse(b))).toContain(`${part}.${field}`);
  });

  test('in pName, an exp_content object value, a QR code, a resolve note', () => {
    expect(paths(createSettlementSchema.safeParse({ ...base(), pName: `张${bad}三` }))).toContain('pName');
    const b = base() as any;
    b.payRequest.exp_content = { note: `x${bad}` };
    expect(paths(createSettlementSchema.safeParse(b))).toContain('payRequest.exp_content.note');
    expect(paths(identitySchema.safeParse({ ecQrCode: `QR${bad}`, ecQrChannel: '1', operator: base().operator }))).toContain('ecQrCode');
    expect(paths(resolveSchema.safeParse({ decision: 'PAID', operator: '财务王', note: `ok${bad}` }))).toContain('note');
  });

  test('in a pushed ecToken', () => {
    const p = v13Sample('se03-push') as any;
    expect(paths(se03Push.safeParse({ ...p, output: { ...p.output, ecToken: `310000ect${bad}` } }))).toContain('output.ecToken');
  });
});

test('ordinary text passes: Chinese names, the V13 sample bill', () => {
  expect(createSettlementSchema.safeParse(base()).success).toBe(true);
  expect(
    createSettlementSchema.safeParse({ ...base(), pName: '欧阳·娜娜', payRequest: { ...base().payRequest, exp_content: { 备注: 'a & b; "quoted"' } } }).success,
  ).toBe(true);
});
