import got from 'got';
import { createApiClient, type components, type Settlement } from '../api/client';
import { loadDotEnv } from '../common/config';
import { sampleWuqiBill } from '../routes/wuqi/simulator/samples';
import { cliArgs, usageExit } from './cli-args';

// `npm run demo`: against the running stack (npm start). A simulator test person pays a bill with
// a fresh e-voucher QR code, then the settlement is refunded. Each step prints with its timing.
// `--person cadre` does the same for a 五期 person (干保, with an SH02 bill): SE02 on 五期, then SK01
// for the insurance part and the platform's own cash refund. The API is called through the typed
// client generated from the OpenAPI document (api/client).
const USAGE = `
usage: npm run demo -- [--person ID] [--fresh-voucher | --refund-ec-token TOKEN] [--api URL] [--simulator URL]
  Pays a bill as a simulator test person, then refunds it, through the public API.
  --person     employee (national, default), cadre (五期 SH02), mutual-aid (五期 SI12), civil-aid-resident (五期 SI12)
  --fresh-voucher    五期: refund with a fresh e-voucher QR code of the same person (SK01's carddata), as after ECTOKEN_REFUSED
  --refund-ec-token  五期: refund with this fresh ecToken of the payer (SK01's carddata)
  --api        the API (default: API_URL, or http://127.0.0.1:API_PORT)
  --simulator  the simulator (default: SIMULATOR_URL, or http://127.0.0.1:SIMULATOR_PORT)
  env API_KEY  a key from the server's API_KEYS, when it has any
`;
loadDotEnv();
const flags = cliArgs(USAGE, {
  person: { type: 'string', default: 'employee' },
  'fresh-voucher': { type: 'boolean' },
  'refund-ec-token': { type: 'string' },
  api: { type: 'string' },
  simulator: { type: 'string' },
});
if (flags['fresh-voucher'] && flags['refund-ec-token']) usageExit(USAGE, 'give --fresh-voucher or --refund-ec-token, not both');
const API = flags.api ?? process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;
const SIM = flags.simulator ?? process.env.SIMULATOR_URL ?? `http://127.0.0.1:${process.env.SIMULATOR_PORT ?? 8090}`;
const api = createApiClient(API, { ...(process.env.API_KEY ? { apiKey: process.env.API_KEY } : {}) });
const operator = { opter: 'DEMO01', opter_name: '演示操作员', opter_type: '5' as const };

const t0 = Date.now();
const say = (msg: string) => process.stdout.write(`[+${((Date.now() - t0) / 1000).toFixed(2)}s] ${msg}\n`);

/** Long-polls the status view (?wait=) until it reaches one of `want`. */
async function until(orderNo: string, want: Settlement['status'][], timeoutMs = 120_000): Promise<Settlement> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const { data: v, error, response } = await api.GET('/api/settlements/{orderNo}', { params: { path: { orderNo }, query: { wait: 5 } } });
    if (!v) throw new Error(`GET /api/settlements/${orderNo}: ${response.status} ${JSON.stringify(error)}`);
    if (v.status !== last) say(`status ${v.status}${v.reason ? ` (${v.reason})` : ''}`);
    last = v.status;
    if (want.includes(v.status)) return v;
    if (Date.now() > deadline) throw new Error(`no ${want.join('/')} within ${timeoutMs} ms; status ${v.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Simulator test persons the demo knows: national, or 五期 with the bill type an HIS would send for them. */
const PERSONS: Record<string, { psnNo: string; bill?: 'SH02' | 'SI12' }> = {
  employee: { psnNo: '801874939' },
  cadre: { psnNo: '801874941', bill: 'SH02' },
  'mutual-aid': { psnNo: '801874940', bill: 'SI12' },
  // 民政帮困兼居民保险: an outpatient bill too (V13 §1.1 "国家平台、五期移动支付均只支持门诊交易")
  'civil-aid-resident': { psnNo: '801874946', bill: 'SI12' },
};

/** --fresh-voucher / --refund-ec-token: SK01 goes out with a fresh e-voucher of the payer (五期 only). */
async function freshVoucher(personId: string, wuqi: boolean): Promise<{ ecToken?: string; ecQrCode?: string; ecQrChannel?: '2' }> {
  if (!flags['fresh-voucher'] && !flags['refund-ec-token']) return {};
  if (!wuqi) throw new Error('a fresh e-voucher is for 五期 refunds only (SK01); this order settled nationally');
  if (flags['refund-ec-token']) return (say('refund with the given fresh ecToken'), { ecToken: flags['refund-ec-token'] });
  const { ecQrCode } = await got.post(`${SIM}/__sim/qrcodes`, { json: { personId } }).json<{ ecQrCode: string }>();
  say(`simulator issued a fresh e-voucher QR code for "${personId}": the refund decodes it (SE01) and checks it is the payer's`);
  return { ecQrCode, ecQrChannel: '2' };
}

async function main() {
  const personId = flags.person ?? 'employee';
  const person = PERSONS[personId];
  if (!person) throw new Error(`unknown --person ${personId}; one of ${Object.keys(PERSONS).join(', ')}`);
  const { ecQrCode } = await got.post(`${SIM}/__sim/qrcodes`, { json: { personId } }).json<{ ecQrCode: string }>();
  say(`simulator issued an e-voucher QR code for test person "${personId}"`);
  const started = await api.POST('/api/settlements', {
    body: {
      ecQrCode,
      ecQrChannel: '2',
      operator,
      payRequest: {
        psn_no: person.psnNo,
        mdtrt_id: `DEMO${Date.now()}`,
        chrg_bchno: 'SF01',
        med_type: '11',
        medfee_sumamt: '128.50',
        insutype: '310',
        acct_used_flag: '0',
        psn_setlway: '01',
      },
      // the sample bill's literal types are wider than the schema's enums; its values are valid SH02/SI12 input
      ...(person.bill ? { wuqiPayRequest: sampleWuqiBill(person.bill, '128.50') as components['schemas']['WuqiPayRequest'] } : {}),
    },
  });
  if (!started.data) throw new Error(`POST /api/settlements: ${started.response.status} ${JSON.stringify(started.error)}`);
  const { orderNo, links } = started.data;
  say(`POST /api/settlements -> orderNo ${orderNo}`);
  say(`Temporal UI: ${links.ui}`);
  const paid = await until(orderNo, ['PAID', 'FAILED', 'NEEDS_REVIEW']);
  if (paid.status !== 'PAID') throw new Error(`settlement ended ${paid.status}`);
  say(`routed ${paid.events.find((e) => e.type === 'ROUTED')?.detail ?? paid.route}`);
  if (paid.wuqi)
    say(
      `PAID: 五期 ${paid.wuqi.type} lsh ${paid.wuqi.lsh}, totalexpense ¥${paid.wuqi.totalexpense}, fund ¥${paid.wuqi.fund}, cash ¥${paid.wuqi.cash} via ${paid.channel}`,
    );
  else if (paid.setlinfo)
    say(`PAID: medfee ¥${paid.setlinfo.medfee_sumamt}, fund ¥${paid.setlinfo.fund_pay_sumamt}, cash ¥${paid.setlinfo.psn_cash_pay} via ${paid.channel}`);
  const refund = await api.POST('/api/settlements/{orderNo}/refund', {
    params: { path: { orderNo } },
    body: { operator, reason: 'demo', ...(await freshVoucher(personId, !!paid.wuqi)) },
  });
  if (!refund.data) throw new Error(`POST /refund: ${refund.response.status} ${JSON.stringify(refund.error)}`);
  const insurance = paid.wuqi ? `SK01 (insurance part, translsh ${paid.wuqi.lsh})` : '2208 (insurance part)';
  say(`POST /refund -> ${insurance}; the platform refunds the cash part by itself (SE05 push / SE06); SE07 only if that fails`);
  const refunded = await until(orderNo, ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW']);
  if (refunded.status !== 'REFUNDED' || !refunded.refund) throw new Error(`refund ended ${refunded.status}`);
  say(
    refunded.refund.cashAmount
      ? `REFUNDED: cash refund ${refunded.refund.cashRefundNo} ¥${refunded.refund.cashAmount}`
      : `REFUNDED: ${refunded.refund.reason ?? ''}`,
  );
  say('demo complete');
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exit(1);
});
