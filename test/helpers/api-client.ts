import got from 'got';
import { waitFor } from './receiver';

export const operator = { opter: '0018', opter_name: '测试操作员', opter_type: '5' as const };

export function hisPayRequest(psnNo: string, medfee = '100.00') {
  return {
    psn_no: psnNo,
    mdtrt_id: `M${Date.now()}${Math.floor(Math.random() * 1000)}`,
    chrg_bchno: 'SF01',
    med_type: '11',
    medfee_sumamt: medfee,
    insutype: '310',
    acct_used_flag: '0' as const,
    psn_setlway: '01',
  };
}

export function apiClient(baseUrl: string, headers: Record<string, string> = {}) {
  const call = async (method: 'get' | 'post', path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await got(`${baseUrl}${path}`, {
      method: method.toUpperCase() as 'GET' | 'POST',
      ...(body !== undefined ? { json: body as Record<string, unknown> } : {}),
      headers: { ...headers, ...extra },
      throwHttpErrors: false,
      responseType: 'json',
      retry: { limit: 0 },
    });
    return { status: res.statusCode, body: res.body as any };
  };
  const client = {
    call,
    create: (body: unknown, extra?: Record<string, string>) => call('post', '/api/settlements', body, extra),
    get: (orderNo: string) => call('get', `/api/settlements/${orderNo}`),
    refund: (orderNo: string, body: unknown = { operator }) => call('post', `/api/settlements/${orderNo}/refund`, body),
    resolve: (orderNo: string, body: unknown) => call('post', `/api/settlements/${orderNo}/resolve`, body),
    /** Polls the status view until `pred` holds. */
    async until(orderNo: string, pred: (v: any) => boolean, timeoutMs = 15_000) {
      let last: any;
      try {
        return await waitFor(async () => {
          const r = await call('get', `/api/settlements/${orderNo}`);
          last = r.body;
          return r.status === 200 && pred(r.body) ? r.body : undefined;
        }, timeoutMs, 100);
      } catch {
        throw new Error(`status never matched; last view: ${JSON.stringify(last, null, 1)?.slice(0, 2000)}`);
      }
    },
    /** Starts a settlement for a simulator person with a fresh decoded token. */
    async settle(ecToken: string, psnNo: string, medfee = '100.00', extra: Record<string, unknown> = {}) {
      const r = await call('post', '/api/settlements', { ecToken, operator, payRequest: hisPayRequest(psnNo, medfee), ...extra });
      if (r.status !== 202) throw new Error(`start failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.orderNo as string;
    },
  };
  return client;
}

export const isFinal = (s: string) => ['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED'].includes(s);
