import { nationalInputHeader, nationalOutputHeader } from '../../protocol/national-header';
import { se02Input, se03Push, se04Input, se04Output, se05Push, se06Input, se06Output, se07Input } from '../../protocol/se-messages';
import { settle2207Output } from '../../protocol/settlement';
import { jsonStringOr } from '../../protocol/zod-helpers';
import { v13Sample } from '../fixtures';

describe('every V13 JSON sample parses exactly as printed', () => {
  test('SE02 request: national header + SE02 input with the 2207 payRequest', () => {
    const raw = v13Sample('se02-request');
    const header = nationalInputHeader.parse(raw);
    expect(header.infno).toBe('SE02');
    expect(header.msgid).toBe('H31011000053202203032041254000');
    expect(header.opter_type).toBe('4');
    const input = se02Input.parse(header.input);
    expect(input.orderNo).toBe('H3101100005320220303204125000523664');
    expect(input.payRequest.data.medfee_sumamt).toBe('100.00');
    expect(input.payRequest.data.mdtrt_cert_no).toBe(input.ecToken);
  });

  test('SE03 push: payResponse arrives as a JSON string and parses into the 2207 output', () => {
    const push = se03Push.parse(v13Sample('se03-push'));
    expect(push.output.payStatus).toBe('1');
    expect(push.output.channel).toBe('alipay');
    expect(push.output.amount).toBe('5000.0');
    const out = jsonStringOr(settle2207Output).parse(push.output.payResponse);
    expect(out.setlinfo.setl_id).toBe('44020');
    expect(out.setlinfo.medfee_sumamt).toBe(10000);
    expect(out.setldetail.map((d) => d.fund_pay_type)).toEqual(['310800', '本年余额', '历年余额', '附加段现金']);
  });

  test('SE04 request and response', () => {
    const req = nationalInputHeader.parse(v13Sample('se04-request'));
    expect(se04Input.parse(req.input).ecToken).toBe('310000ect7tf9a003v0b230aa80000f60289ab');
    const res = nationalOutputHeader.parse(v13Sample('se04-response'));
    expect(res.infcode).toBe(0);
    const out = se04Output.parse(res.output);
    expect(out.tradeNo).toBe('24');
    const parsed = jsonStringOr(settle2207Output).parse(out.payResponse);
    expect(parsed.setlinfo.psn_cash_pay).toBe(5000);
  });

  test('SE05 push (infcode null)', () => {
    const push = se05Push.parse(v13Sample('se05-push'));
    expect(push.output.refundStatus).toBe('1');
    expect(push.output.refundNo).toBe('TEST-TK-1299a014f5ab');
  });

  test('SE06 request and response (response has no refundStatus: a finished refund)', () => {
    const req = nationalInputHeader.parse(v13Sample('se06-request'));
    expect(se06Input.parse(req.input).ecToken).toHaveLength(38);
    const res = nationalOutputHeader.parse(v13Sample('se06-response'));
    const out = se06Output.parse(res.output);
    expect(out.refundStatus).toBe('1');
    expect(out.amount).toBe('5000.00');
  });

  test('SE07 request', () => {
    const req = nationalInputHeader.parse(v13Sample('se07-request'));
    expect(req.infno).toBe('SE07');
    expect(se07Input.parse(req.input).orderNo).toBe('H3101100005320220303205350000550346');
  });
});
