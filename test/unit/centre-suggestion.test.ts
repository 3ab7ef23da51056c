import type { CentreRecord } from '../../protocol/centre-record';
import { centreEventDetail, describeDifferences, suggestionFor, type CentreWord } from '../../protocol/centre-suggestion';

// The review item's suggestion and CENTRE_RECORD event from the centre's word (issue 18, 2): ids and amounts
// only, a decision pointed to, never taken.

const asked = { query: '5203' as const, msgid: 'M1', at: '2026-12-04T10:00:00.000Z' };
const record = (over: Partial<CentreRecord> = {}): CentreRecord => ({
  setlId: '44020',
  mdtrtId: 'MD1',
  setlTime: '2026-12-04 10:00:00',
  medfee: 10000,
  fund: 7000,
  account: 0,
  cash: 3000,
  refunded: false,
  paid: true,
  ...over,
});
const found = (r: CentreRecord, differences: Extract<CentreWord, { kind: 'answered' }>['differences'] = []): CentreWord => ({
  kind: 'answered',
  asked,
  found: true,
  record: r,
  agrees: differences.length === 0,
  differences,
});
const notFound: CentreWord = {
  kind: 'answered',
  asked,
  found: false,
  record: null,
  agrees: false,
  differences: [{ field: 'found', ours: true, centre: false }],
  message: '未找到该结算记录',
};

describe('suggestionFor: a settlement under review', () => {
  test('the centre holds it, paid and not refunded: resolve PAID, with its amounts in yuan', () => {
    expect(suggestionFor('settlement', found(record()))).toBe(
      'the centre holds setl_id 44020 (medfee 100.00, fund 70.00, account 0.00, cash 30.00), paid, not refunded: resolve PAID',
    );
  });
  test('the centre says not valid (5203A vali_flag 0 / SI91 paystatus 0): resolve FAILED', () => {
    expect(suggestionFor('settlement', found(record({ paid: false })))).toMatch(/not valid\/failed, not refunded: resolve FAILED$/);
  });
  test('the centre has refunded it: no decision pointed to before the cash part is checked', () => {
    expect(suggestionFor('settlement', found(record({ refunded: true })))).toMatch(
      /refunded: the centre has refunded it: check the cash part before resolving$/,
    );
  });
  test('no record at the centre: FAILED after the cash channel is checked', () => {
    expect(suggestionFor('settlement', notFound)).toBe(
      'the centre has no record of this settlement (5203): its insurance part was not settled; check the cash channel, then resolve FAILED',
    );
  });
  test('differing books are named with both sides, amounts in yuan', () => {
    const s = suggestionFor('settlement', found(record({ medfee: 10100 }), [{ field: 'medfee', ours: 10000, centre: 10100 }]));
    expect(s).toMatch(/: resolve PAID; but the books differ: medfee ours 100.00, centre 101.00$/);
  });
});

describe('suggestionFor: a refund under review', () => {
  test('refunded at the centre: REFUNDED once the cash refund is confirmed', () => {
    expect(suggestionFor('refund', found(record({ refunded: true })))).toMatch(
      /refunded: the insurance part is refunded: resolve REFUNDED once the cash refund is confirmed$/,
    );
  });
  test('not refunded at the centre: REFUND_FAILED unless a refund is under way', () => {
    expect(suggestionFor('refund', found(record()))).toMatch(
      /not refunded: the insurance part stands: resolve REFUND_FAILED unless a refund is still under way$/,
    );
  });
  test('SI91 does not say refunded: nothing is pointed to', () => {
    const w: CentreWord = { ...found(record({ refunded: null, setlTime: null })), asked: { ...asked, query: 'SI91' } } as CentreWord;
    expect(suggestionFor('refund', w)).toMatch(/refund not stated: SI91 does not say whether it is refunded/);
  });
});

test('refused, a refused 令牌, and nothing to ask: the clerk is told to phone, or why the centre was not asked', () => {
  expect(
    suggestionFor('settlement', { kind: 'refused', asked: { ...asked, query: 'SI91' }, code: 'P300', message: 'P300 电子凭证令牌已失效', tokenRefused: true }),
  ).toBe('SI91 refused the stored 令牌: ask the centre by phone');
  expect(suggestionFor('settlement', { kind: 'refused', asked, code: 'P600', message: 'P600 no', tokenRefused: false })).toBe(
    '5203 refused (P600 no): ask the centre by phone',
  );
  expect(suggestionFor('settlement', { kind: 'nothing', reason: 'no setl_id' })).toBe('the centre cannot be asked: no setl_id');
});

test('centreEventDetail: the query, its msgid, ids and fen amounts, and the comparison', () => {
  expect(centreEventDetail(found(record()))).toBe(
    '5203 msgid M1: found setl_id 44020, medfee 10000, fund 7000, account 0, cash 3000 (fen), paid true, refunded false; agrees',
  );
  expect(centreEventDetail(found(record({ cash: 3100 }), [{ field: 'cash', ours: 3000, centre: 3100 }]))).toMatch(/; differs: cash ours 30.00, centre 31.00$/);
  expect(centreEventDetail(notFound)).toBe('5203 msgid M1: not found');
  expect(centreEventDetail({ kind: 'refused', asked, code: 'P600', message: 'x', tokenRefused: false })).toBe('5203 msgid M1: refused P600');
  expect(centreEventDetail({ kind: 'nothing', reason: 'no setl_id' })).toBe('not asked: no setl_id');
});

test('describeDifferences: booleans and unstated values as words', () => {
  expect(
    describeDifferences([
      { field: 'refunded', ours: false, centre: true },
      { field: 'setlId', ours: 'A', centre: null },
    ]),
  ).toBe('refunded ours false, centre true; setlId ours A, centre not said');
});
