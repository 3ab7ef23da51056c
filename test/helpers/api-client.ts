import got from 'got';
import { createApiClient, type CreateSettlement } from '../../api/client';
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

/** What a test reads: the HTTP status and the JSON body (the typed data, or the error). */
type Res = { status: number; body: any };
const res = (r: { data?: unknown; error?: unknown; response: Response }): Res => ({ status: r.response.status, body: r.data ?? r.error });

/**
 * The API as tests use it: the contract's operations go through the generated typed client
 * (api/client, openapi-fetch); `call` is for paths outside the contract (/shyb, /codec) and
 * deliberately malformed requests.
 */
export function apiClient(baseUrl: string, headers: Record<string, string> = {}) {
  const typed = createApiClient(baseUrl, { headers });
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
  // Tests send invalid bodies on purpose: the typed operations take any body and cast it.
  const client = {
    call,
    typed,
    create: async (body: unknown, extra?: Record<string, string>) =>
      res(await typed.POST('/api/settlements', { body: body as CreateSettlement, ...(extra ? { headers: extra } : {}) })),
    get: async (orderNo: string, wait?: number) =>
      res(await typed.GET('/api/settlements/{orderNo}', { params: { path: { orderNo }, ...(wait !== undefined ? { query: { wait } } : {}) } })),
    refund: async (orderNo: string, body: unknown = { operator }) =>
      res(await typed.POST('/api/settlements/{orderNo}/refund', { params: { path: { orderNo } }, body: body as { operator: typeof operator } })),
    resolve: async (orderNo: string, body: unknown) =>
      res(
        await typed.POST('/api/settlements/{orderNo}/resolve', {
          params: { path: { orderNo } },
          body: body as { decision: 'PAID'; operator: string; note: string },
        }),
      ),
    list: async (
      query: { status?: 'PAID' | 'FAILED' | 'NEEDS_REVIEW' | 'PROCESSING' | 'REFUNDING' | 'REFUNDED' | 'REFUND_FAILED'; from?: string; limit?: number } = {},
    ) => res(await typed.GET('/api/settlements', { params: { query: { limit: 100, ...query } } })),
    reviews: async () => res(await typed.GET('/api/reviews')),
    inbox: async (date: string) => res(await typed.GET('/api/inbox', { params: { query: { date } } })),
    match: async (date: string, index: number, body: { orderNo: string; operator: string }) =>
      res(await typed.POST('/api/inbox/{date}/{index}/match', { params: { path: { date, index } }, body })),
    reconciliation: async (date: string) => res(await typed.GET('/api/reconciliation', { params: { query: { date } } })),
    health: async () => res(await typed.GET('/healthz')),
    /** Polls the status view until `pred` holds. */
    async until(orderNo: string, pred: (v: any) => boolean, timeoutMs = 15_000) {
      let last: any;
      try {
        return await waitFor(
          async () => {
            const r = await client.get(orderNo);
            last = r.body;
            return r.status === 200 && pred(r.body) ? r.body : undefined;
          },
          timeoutMs,
          100,
        );
      } catch {
        throw new Error(`status never matched; last view: ${JSON.stringify(last, null, 1)?.slice(0, 2000)}`);
      }
    },
    /** Starts a settlement for a simulator person with a fresh decoded token. */
    async settle(ecToken: string, psnNo: string, medfee = '100.00', extra: Record<string, unknown> = {}) {
      const r = await client.create({ ecToken, operator, payRequest: hisPayRequest(psnNo, medfee), ...extra });
      if (r.status !== 202) throw new Error(`start failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.orderNo as string;
    },
  };
  return client;
}

export const isFinal = (s: string) => ['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED'].includes(s);
