import { foreignOrder } from '../../workflows/ownership';
import { wuqiOrderNo } from '../../protocol/msgid';

// Which 第三方支付订单号 a result may carry for this order, and which name another of our orders.
const ORDER = 'H31011000053' + '20261127100000000' + '123456';
const OTHER = 'H31011000053' + '20261127100000000' + '999999';
const CODE = '20260000042'; // a WUQI_ORG_CODE unlike FIXMEDINS_CODE without its H

describe('foreignOrder', () => {
  test.each([
    ['no third orderNo', undefined, undefined],
    ['this order', ORDER, undefined],
    ['this order in its 五期 form (WUQI_ORG_CODE + last 23)', wuqiOrderNo(ORDER, CODE), undefined],
    ['another of our orders', OTHER, 'FOREIGN_ORDER'],
    ['another of our orders in its 五期 form', wuqiOrderNo(OTHER, CODE), 'FOREIGN_ORDER'],
    ['another of our orders without its H (before WUQI_ORG_CODE)', OTHER.slice(1), 'FOREIGN_ORDER'],
    ['this order without its H, a number never sent for it once WUQI_ORG_CODE differs: not applied', ORDER.slice(1), 'FOREIGN_ORDER'],
    ['not one of our forms (another hospital)', 'H31011000099' + ORDER.slice(-23), undefined],
    ['our code with a tail that is not 23 digits', CODE + '2026112710000000012345X', undefined],
  ])('with wuqiOrgCode: %s', (_name, third, want) => {
    const r = foreignOrder(ORDER, third, CODE);
    if (want) expect(r).toMatch(new RegExp(`^${want}: .*${third}`));
    else expect(r).toBeUndefined();
  });

  test.each([
    ['this order', ORDER, undefined],
    ['this order without its H (the 五期 form before WUQI_ORG_CODE)', ORDER.slice(1), undefined],
    ['another of our orders', OTHER, 'FOREIGN_ORDER'],
    ['another of our orders without its H', OTHER.slice(1), 'FOREIGN_ORDER'],
    ['a 五期 form with a code the order does not know', wuqiOrderNo(OTHER, CODE), undefined],
  ])('without wuqiOrgCode (histories started before it): %s', (_name, third, want) => {
    const r = foreignOrder(ORDER, third);
    if (want) expect(r).toMatch(/^FOREIGN_ORDER/);
    else expect(r).toBeUndefined();
  });
});
