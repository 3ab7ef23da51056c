import { parseArgs } from 'node:util';
import got from 'got';
import { sampleWuqiBill } from '../simulator/wuqi-samples';

// `npm run demo`: against the running stack (npm start). A simulator test person pays a bill with
// a fresh e-voucher QR code, then the settlement is refunded. Each step prints with its timing.
// `npm run demo -- --person cadre` does the same for a 五期 person (干保, with an SH02 bill): SE02 on
// 五期, then SK01 for the insurance part and the platform's own cash refund.
const API = process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;
const SIM = process.env.SIMULATOR_URL ?? `http://127.0.0.1:${process.env.SIMULATOR_PORT ?? 8090}`;
const UI = process.env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${process.env.TEMPORAL_UI_PORT ?? 8233}`;
const headers = process.env.API_KEY ? { authorization: `Bearer ${process.env.API_KEY}` } : {};
const operator = { opter: 'DEMO01', opter_name: '演示操作员', opter_type: '5' };

const t0 = Date.now();
const say = (msg: string) => process.stdout.write(`[+${((Date.now() - t0) / 1000).toFixed(2)}s] ${msg}\n`);

async function until(orderNo: string, want: string[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const v = await got.get(`${API}/api/settlements/${orderNo}`, { headers, responseType: 'json' }).json<any>();
    if (v.status !== last) say(`status ${v.status}${v.reason ? ` (${v.reason})` : ''}`);
    last = v.status;
    if (want.includes(v.status)) return v;
    if (Date.now() > deadline) throw new Error(`no ${want.join('/')} within ${timeoutMs} ms; status ${v.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Simulator test persons the demo knows: national, or 五期 with the bill type an HIS would send for them. */
const PERSONS: Record<string, { psnNo: string; bill?: 'SH02' | 'SI12' | 'SI52' }> = {
  employee: { psnNo: '801874939' },
  cadre: { psnNo: '801874941', bill: 'SH02' },
  'mutual-aid': { psnNo: '801874940', bill: 'SI12' },
  'civil-aid-resident': { psnNo: '801874946', bill: 'SI52' },
};

async function main() {
  const { values } = parseArgs({ options: { person: { type: 'string', default: 'employee' } } });
  const personId = values.person;
  const person = PERSONS[personId];
  if (!person) throw new Error(`unknown --person ${personId}; one of ${Object.keys(PERSONS).join(', ')}`);
  const { ecQrCode } = await got.post(`${SIM}/__sim/qrcodes`, { json: { personId } }).json<{ ecQrCode: string }>();
  say(`simulator issued an e-voucher QR code for test person "${personId}"`);
  const start = await got
    .post(`${API}/api/settlements`, {
      headers,
      json: {
        ecQrCode,
        ecQrChannel: '2',
        operator,
        payRequest: { psn_no: person.psnNo, mdtrt_id: `DEMO${Date.now()}`, chrg_bchno: 'SF01', med_type: '11', medfee_sumamt: '128.50', insutype: '310', acct_used_flag: '0', psn_setlway: '01' },
        ...(person.bill ? { wuqiPayRequest: sampleWuqiBill(person.bill, '128.50') } : {}),
      },
    })
    .json<{ orderNo: string }>();
  say(`POST /api/settlements -> orderNo ${start.orderNo}`);
  say(`Temporal UI: ${UI}/namespaces/default/workflows/${start.orderNo}`);
  const paid = await until(start.orderNo, ['PAID', 'FAILED', 'NEEDS_REVIEW']);
  if (paid.status !== 'PAID') throw new Error(`settlement ended ${paid.status}`);
  say(`routed ${paid.events.find((e: { type: string }) => e.type === 'ROUTED')?.detail ?? paid.route}`);
  if (paid.wuqi) say(`PAID: 五期 ${paid.wuqi.type} lsh ${paid.wuqi.lsh}, totalexpense ¥${paid.wuqi.totalexpense}, fund ¥${paid.wuqi.fund}, cash ¥${paid.wuqi.cash} via ${paid.channel}`);
  else say(`PAID: medfee ¥${paid.setlinfo.medfee_sumamt}, fund ¥${paid.setlinfo.fund_pay_sumamt}, cash ¥${paid.setlinfo.psn_cash_pay} via ${paid.channel}`);
  await got.post(`${API}/api/settlements/${start.orderNo}/refund`, { headers, json: { operator, reason: 'demo' } });
  const insurance = paid.wuqi ? `SK01 (insurance part, translsh ${paid.wuqi.lsh})` : '2208 (insurance part)';
  say(`POST /refund -> ${insurance}; the platform refunds the cash part by itself (SE05 push / SE06); SE07 only if that fails`);
  const refunded = await until(start.orderNo, ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW']);
  if (refunded.status !== 'REFUNDED') throw new Error(`refund ended ${refunded.status}`);
  say(refunded.refund.cashAmount ? `REFUNDED: cash refund ${refunded.refund.cashRefundNo} ¥${refunded.refund.cashAmount}` : `REFUNDED: ${refunded.refund.reason ?? ''}`);
  say('demo complete');
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exit(1);
});
