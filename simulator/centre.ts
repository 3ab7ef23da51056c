import express, { type Response } from 'express';
import { z } from 'zod';
import { formatYuan, toFen } from '../protocol/money';
import { query5203AInput, query5203Input, si91Input } from '../protocol/centre-query';
import { describeZodError } from '../protocol/zod-helpers';
import type { SimPlatform, SimOrder, SimResult } from './platform';
import { SK01_TOKEN_REFUSED, type WuqiAnswer } from '../routes/wuqi/simulator/platform';

// The centre's record of one settlement, from the simulated platform's own ledger: national 5203 (§5.5.2.3,
// 表381/382), 5203A (§5.5.2.4, 表384) and 五期 SI91 (§4.6.3). The control API (/__sim/centre/differences)
// makes the centre's books differ from ours for one order: an amount, a settlement the centre reversed, one
// it does not have, or (SI91) a refused 令牌.

export const CENTRE_DIFFERENCES = ['amount', 'reversed', 'missing', 'tokenRefused'] as const;
export type CentreDifference = { kind: (typeof CENTRE_DIFFERENCES)[number]; deltaFen: number };

/** Per platform: the injected differences, keyed by the orderNo's last 23 digits (national and 五期 orderNos share them). */
const injected = new WeakMap<SimPlatform, Map<string, CentreDifference>>();
const book = (p: SimPlatform) => {
  let m = injected.get(p);
  if (!m) injected.set(p, (m = new Map()));
  return m;
};
const keyOf = (orderNo: string) => orderNo.slice(-23);
/** The control API's reset forgets them with everything else. */
export const clearCentreDifferences = (p: SimPlatform) => book(p).clear();
/** The difference injected for this order, if any (3201/3202 in routes/national/simulator/recon.ts read the same). */
export const differenceFor = (p: SimPlatform, order: SimOrder) => book(p).get(keyOf(order.orderNo));

const NOT_FOUND = '未找到该结算记录';
const y = (fen: number) => formatYuan(fen);
const plus = (v: string, fen: number) => y(toFen(v) + fen);

type Setlinfo2207 = Record<string, string> & {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  setl_time: string;
  med_type: string;
  medfee_sumamt: string;
  psn_part_amt: string;
  psn_cash_pay: string;
};
const setlinfoOf = (o: SimOrder): Setlinfo2207 | undefined =>
  o.status === 'PAID' && o.result && 'setlinfo' in o.result.payResponse ? (o.result.payResponse.setlinfo as unknown as Setlinfo2207) : undefined;

/** 表381 from the 2207 output the platform settled: psn_pay / cash_payamt for psn_part_amt / psn_cash_pay, and its own fields. */
function record5203(platform: SimPlatform, o: SimOrder, s: Setlinfo2207): Record<string, unknown> {
  const d = differenceFor(platform, o);
  const delta = d?.kind === 'amount' ? d.deltaFen : 0;
  const { psn_part_amt, psn_cash_pay, hosp_part_amt: _h, hifdm_pay: _d, mdtrt_cert_type, ...rest } = s;
  const day = s.setl_time.slice(0, 10);
  return {
    ...rest,
    dtrt_cert_type: mdtrt_cert_type,
    medfee_sumamt: plus(s.medfee_sumamt, delta),
    psn_pay: plus(psn_part_amt, delta),
    cash_payamt: plus(psn_cash_pay, delta),
    flxempe_flag: '0',
    pay_loc: '2',
    fixmedins_code: o.msgid.slice(0, 12),
    fixmedins_name: '模拟定点医疗机构',
    begndate: day,
    enddate: day,
    year: day.slice(0, 4),
    // 退费结算标志: the settlement was refunded (2208), or the centre reversed it (injected)
    refd_setl_flag: o.insuranceRefunded || d?.kind === 'reversed' ? '1' : '0',
    upldFlag: '0',
  };
}

/** 5203: the settlement by setl_id, with the person and 就诊ID it was settled for. */
function answer5203(platform: SimPlatform, input: Record<string, unknown>): SimResult {
  const p = query5203Input.safeParse(input);
  if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
  const d = p.data.data;
  const o = platform.findBySetlId(d.setl_id);
  const s = o && o.route === 'NATIONAL' ? setlinfoOf(o) : undefined;
  if (!o || !s || differenceFor(platform, o)?.kind === 'missing') return { ok: false, message: NOT_FOUND };
  if (s.psn_no !== d.psn_no || s.mdtrt_id !== d.mdtrt_id) return { ok: false, message: '人员编号或就诊ID与结算记录不一致' };
  const setldetail = (o.result!.payResponse as { setldetail: unknown[] }).setldetail;
  return { ok: true, output: { setlinfo: record5203(platform, o, s), setldetail } };
}

/** 5203A: every record under the medins_setl_id (the 2207's msgid): the settlement, and its 退费 record once refunded. */
function answer5203A(platform: SimPlatform, input: Record<string, unknown>): SimResult {
  const p = query5203AInput.safeParse(input);
  if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
  const d = p.data.data;
  const o = platform
    .ledger()
    .settlements.map((x) => platform.orderByNo(x.orderNo))
    .find((x) => x?.route === 'NATIONAL' && x.msgid === d.medins_setl_id);
  const s = o ? setlinfoOf(o) : undefined;
  if (!o || !s || differenceFor(platform, o)?.kind === 'missing') return { ok: true, output: { setlinfo: [] } };
  if (s.psn_no !== d.psn_no || s.mdtrt_id !== d.mdtrt_id || s.med_type !== d.med_type)
    return { ok: false, message: '人员编号、就诊ID或医疗类别与结算记录不一致' };
  const full = record5203(platform, o, s);
  const reversed = differenceFor(platform, o)?.kind === 'reversed';
  const row = (r: Record<string, unknown>, over: Record<string, unknown>) => ({
    ...r,
    psn_insu_rlts_id: `R${s.psn_no}`,
    setl_type: '2',
    inscp_amt: r.inscp_scp_amt,
    ...over,
  });
  const rows = [row(full, { refd_setl_flag: '0', vali_flag: reversed ? '0' : '1', init_setl_id: '' })];
  if (o.insuranceRefunded) {
    const neg = (v: unknown) => (String(v) === '0.00' ? '0.00' : `-${String(v)}`);
    rows.push(
      row(full, {
        setl_id: `${s.setl_id}T`,
        init_setl_id: s.setl_id,
        refd_setl_flag: '1',
        vali_flag: '1',
        medfee_sumamt: neg(full.medfee_sumamt),
        fund_pay_sumamt: neg(full.fund_pay_sumamt),
        acct_pay: neg(full.acct_pay),
        cash_payamt: neg(full.cash_payamt),
        psn_pay: neg(full.psn_pay),
      }),
    );
  }
  return { ok: true, output: { setlinfo: rows } };
}

/** 5203 / 5203A, or undefined for any other infno. */
export function handleCentreNational(platform: SimPlatform, infno: string, input: Record<string, unknown>): SimResult | undefined {
  if (infno === '5203') return answer5203(platform, input);
  if (infno === '5203A') return answer5203A(platform, input);
  return undefined;
}

export const CENTRE_INFNOS = ['5203', '5203A'];

/**
 * SI91 (§4.6.3): the 五期 settlement of the 令牌 (carddata, cardtype 3) with this 计算申请序号. The output is the
 * settlement's SH02/SI12 table as SI91 prints it (起付段 fields 0, V1.0.6 A.5 fields) and paystatus 1; an injected
 * reversal answers paystatus 0. A refund does not change it: SI91 has no refund field. The 交易费用总额 of the input
 * is not used to find the record (the 计算申请序号 names it).
 */
export function si91(platform: SimPlatform, xxnr: Record<string, unknown>): WuqiAnswer {
  const p = si91Input.safeParse(xxnr);
  if (!p.success) return { ok: false, code: 'C002', message: `入参校验失败: ${describeZodError(p.error)}` };
  if (p.data.cardtype !== '3') return { ok: false, code: 'P700', message: '模拟平台仅支持电子凭证(cardtype=3)' };
  if (!platform.tokenRecord(p.data.carddata)) return { ok: false, code: 'P700', message: '电子凭证令牌无效' };
  const o = platform.orderByToken(p.data.carddata);
  const out = o?.route === 'WUQI' && o.status === 'PAID' && o.result && 'wuqi' in o.result.payResponse ? o.result.payResponse.wuqi : undefined;
  const d = o ? differenceFor(platform, o) : undefined;
  if (d?.kind === 'tokenRefused') return { ok: false, ...SK01_TOKEN_REFUSED };
  if (!o || !out || out.jssqxh !== p.data.jssqxh || d?.kind === 'missing') return { ok: false, code: 'P610', message: '交易查询未找到相应记录' };
  const delta = d?.kind === 'amount' ? d.deltaFen : 0;
  const { jlc: _jlc, jfje: _jfje, jmjsbz: _jm, ...rest } = out;
  const zero = '0.00';
  const bill = o.wuqi!.bill.xxnr as { jzdyh?: string };
  return {
    ok: true,
    output: {
      ...rest,
      personname: platform.person(o.personId)?.name ?? '',
      accountattr: platform.person(o.personId)?.accountattr ?? '',
      jzdyh: out.jzdyh ?? bill.jzdyh ?? '',
      // an amount the centre holds otherwise: its cash part and totals move together (the sum rule holds)
      totalexpense: plus(out.totalexpense!, delta),
      ybjsfwfyze: plus(out.ybjsfwfyze!, delta),
      zfdxjzfs: plus(out.zfdxjzfs!, delta),
      qfdzhzfs: zero,
      qfdxjzfs: zero,
      gjzhzfs: out.gjzhzfs ?? zero,
      zfdgjzhzfs: out.zfdgjzhzfs ?? zero,
      qfdgjzhzfs: zero,
      tcdgjzhzfs: out.tcdgjzhzfs ?? zero,
      fjdgjzhzfs: out.fjdgjzhzfs ?? zero,
      flzflnzhzfs: out.flzflnzhzfs ?? zero,
      flzfgjzhzfs: out.flzfgjzhzfs ?? zero,
      zflnzhzfs: out.zflnzhzfs ?? zero,
      zfgjzhzfs: out.zfgjzhzfs ?? zero,
      paystatus: d?.kind === 'reversed' ? '0' : '1',
    },
  };
}

const differenceInput = z
  .object({
    orderNo: z.string().regex(/^[A-Z0-9]{11,12}\d{23}$/, 'an orderNo (ours, or its 五期 form)'),
    kind: z.enum(CENTRE_DIFFERENCES),
    /** amount: how many fen the centre's medfee and cash differ by (default 100) */
    deltaFen: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((v) => v !== 0, 'must not be 0')
      .default(100),
  })
  .strict();

/** /__sim/centre: GET/POST/DELETE differences. */
export function centreControl(platform: SimPlatform) {
  const r = express.Router();
  const list = () => [...book(platform)].map(([k, d]) => ({ orderNoSuffix: k, ...d }));
  r.get('/differences', (_req, res: Response) => res.json(list()));
  r.post('/differences', (req, res: Response) => {
    const p = differenceInput.safeParse(req.body);
    if (!p.success)
      return res.status(400).json({ error: 'invalid request', details: p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    book(platform).set(keyOf(p.data.orderNo), { kind: p.data.kind, deltaFen: p.data.deltaFen });
    return res.status(201).json(list());
  });
  r.delete('/differences', (_req, res: Response) => {
    book(platform).clear();
    res.status(204).end();
  });
  return r;
}
