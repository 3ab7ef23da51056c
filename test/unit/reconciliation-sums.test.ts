import { dayTotals, sumRows, type ReconRow } from '../../api/reconciliation';
import { MAX_YUAN } from '../../api/schemas';
import { formatYuanBig, MoneyError, toFenBig } from '../../protocol/money';

// A day's totals are summed in bigint fen: the largest amount a settlement may carry plus any other
// passes Number.MAX_SAFE_INTEGER fen, and the report must still add up to the fen (not fail, not round).
const row = (over: Partial<ReconRow>): ReconRow => ({
  type: 'SETTLEMENT',
  orderNo: 'H3101100005320260101000000000000001',
  at: '2026-01-01T02:00:00.000Z',
  status: 'PAID',
  setl_id: 'S1',
  medfee_sumamt: '0.00',
  fund_pay_sumamt: '0.00',
  acct_pay: '0.00',
  psn_cash_pay: '0.00',
  channel: 'wechat',
  tradeNo: '',
  billTime: '',
  reason: '',
  ...over,
});

test('the largest allowed amount plus one more PAID order sums exactly', () => {
  const rows = [
    row({ medfee_sumamt: MAX_YUAN, psn_cash_pay: MAX_YUAN }),
    row({ orderNo: 'H3101100005320260101000000000000002', medfee_sumamt: '100.10', psn_cash_pay: '0.01' }),
  ];
  expect(sumRows(rows)).toEqual({ count: 2, medfee_sumamt: '90071992547510.01', fund_pay_sumamt: '0.00', acct_pay: '0.00', psn_cash_pay: '90071992547409.92' });
  const totals = dayTotals(rows);
  expect(totals.net.medfee_sumamt).toBe('90071992547510.01');
  expect(totals.byChannel.wechat!.psn_cash_pay).toBe('90071992547409.92');
  expect(totals.byStatus['SETTLEMENT:PAID']!.count).toBe(2);
});

test('a thousand largest amounts and their refunds net to zero, to the fen', () => {
  const paid = Array.from({ length: 1000 }, (_, i) => row({ orderNo: `O${i}`, medfee_sumamt: MAX_YUAN }));
  const refunds = paid.map((r) => row({ ...r, type: 'REFUND', status: 'REFUNDED', medfee_sumamt: `-${MAX_YUAN}` }));
  expect(sumRows(paid).medfee_sumamt).toBe('90071992547409910.00');
  expect(dayTotals([...paid, ...refunds]).net).toMatchObject({ count: 2000, medfee_sumamt: '0.00' });
});

test('only what moved money is in net; every row is in byStatus', () => {
  const t = dayTotals([
    row({ medfee_sumamt: '10.00' }),
    row({ status: 'FAILED', medfee_sumamt: '5.00' }),
    row({ status: 'NEEDS_REVIEW', medfee_sumamt: '7.00', channel: '' }),
  ]);
  expect(t.net).toMatchObject({ count: 1, medfee_sumamt: '10.00' });
  expect(Object.keys(t.byStatus).sort()).toEqual(['SETTLEMENT:FAILED', 'SETTLEMENT:NEEDS_REVIEW', 'SETTLEMENT:PAID']);
  expect(Object.keys(t.byChannel)).toEqual(['wechat']);
});

test('bigint fen parse and format: signs, short decimals, JSON numbers; more than 2 decimals refused', () => {
  expect(toFenBig('5000.0')).toBe(500000n);
  expect(toFenBig(5000.1)).toBe(500010n);
  expect(toFenBig('-0.05')).toBe(-5n);
  expect(toFenBig('1.500')).toBe(150n);
  expect(() => toFenBig('1.005')).toThrow(MoneyError);
  expect(() => toFenBig('1e5')).toThrow(MoneyError);
  expect(formatYuanBig(-5n)).toBe('-0.05');
  expect(formatYuanBig(9007199254740993n)).toBe('90071992547409.93');
});
