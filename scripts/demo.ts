import got from 'got';
import { createApiClient, type Settlement } from '../api/client';
import { loadDotEnv } from '../common/config';
import { cliArgs } from './cli-args';

// `npm run demo`: against the running stack (npm start). A simulator test person pays a bill with
// a fresh e-voucher QR code, then the settlement is refunded. Each step prints with its timing.
// The API is called through the typed client generated from the OpenAPI document (api/client).
const USAGE = `
usage: npm run demo -- [--api URL] [--simulator URL]
  Pays a bill as the simulator's test person "employee", then refunds it, through the public API.
  --api        the API (default: API_URL, or http://127.0.0.1:API_PORT)
  --simulator  the simulator (default: SIMULATOR_URL, or http://127.0.0.1:SIMULATOR_PORT)
  env API_KEY  a key from the server's API_KEYS, when it has any
`;
loadDotEnv();
const flags = cliArgs(USAGE, { api: { type: 'string' }, simulator: { type: 'string' } });
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

async function main() {
  const { ecQrCode } = await got.post(`${SIM}/__sim/qrcodes`, { json: { personId: 'employee' } }).json<{ ecQrCode: string }>();
  say(`simulator issued an e-voucher QR code for test person "employee"`);
  const started = await api.POST('/api/settlements', {
    body: {
      ecQrCode,
      ecQrChannel: '2',
      operator,
      payRequest: { psn_no: '801874939', mdtrt_id: `DEMO${Date.now()}`, chrg_bchno: 'SF01', med_type: '11', medfee_sumamt: '128.50', insutype: '310', acct_used_flag: '0', psn_setlway: '01' },
    },
  });
  if (!started.data) throw new Error(`POST /api/settlements: ${started.response.status} ${JSON.stringify(started.error)}`);
  const { orderNo, links } = started.data;
  say(`POST /api/settlements -> orderNo ${orderNo}`);
  say(`Temporal UI: ${links.ui}`);
  const paid = await until(orderNo, ['PAID', 'FAILED', 'NEEDS_REVIEW']);
  if (paid.status !== 'PAID' || !paid.setlinfo) throw new Error(`settlement ended ${paid.status}`);
  say(`PAID: medfee ¥${paid.setlinfo.medfee_sumamt}, fund ¥${paid.setlinfo.fund_pay_sumamt}, cash ¥${paid.setlinfo.psn_cash_pay} via ${paid.channel}`);
  const refund = await api.POST('/api/settlements/{orderNo}/refund', { params: { path: { orderNo } }, body: { operator, reason: 'demo' } });
  if (!refund.data) throw new Error(`POST /refund: ${refund.response.status} ${JSON.stringify(refund.error)}`);
  say('POST /refund -> 2208 (insurance part), then SE07 (cash part)');
  const refunded = await until(orderNo, ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW']);
  if (refunded.status !== 'REFUNDED' || !refunded.refund) throw new Error(`refund ended ${refunded.status}`);
  say(`REFUNDED: cash refund ${refunded.refund.cashRefundNo} ¥${refunded.refund.cashAmount}`);
  say('demo complete');
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exit(1);
});
