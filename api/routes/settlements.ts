import { z } from 'zod';
import type { Config } from '../../common/config';
import { apiRefund, refundViewSchema, settlementViewSchema, toApiView } from '../order-view';
import {
  acceptedSchema,
  createSettlementSchema,
  idempotencyHeaders,
  linksSchema,
  listQuerySchema,
  orderNoParam,
  refundSchema,
  settlementListSchema,
  statusQuerySchema,
} from '../schemas';
import { encodeCursor } from '../cursor';
import { ApiProblem } from '../errors';
import { CursorRefused } from '../service/queries';
import { defineRoute } from './route';

export const orderNoPath = z.object({ orderNo: orderNoParam.shape.orderNo.openapi({ example: 'H3101100005320220303204125000523664' }) });

const links = (config: Config, orderNo: string) => ({
  self: `/api/settlements/${orderNo}`,
  refund: `/api/settlements/${orderNo}/refund`,
  ui: `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${orderNo}`,
});

export const createSettlement = defineRoute({
  method: 'post',
  path: '/api/settlements',
  operationId: 'createSettlement',
  tag: 'settlements',
  summary: 'Start an online settlement',
  description: 'Starts SE02 for the order. With an Idempotency-Key (header or body) a repeat returns the first order.',
  access: ['his'],
  input: { body: createSettlementSchema, headers: idempotencyHeaders },
  ok: { status: 202, description: 'accepted', schema: acceptedSchema },
  problems: ['IDEMPOTENCY_KEY_REUSED', 'ECTOKEN_IN_USE'],
  handler: async ({ body: b, headers }, { deps }) => {
    const identity = b.ecToken ? { ecToken: b.ecToken } : { ecQrCode: b.ecQrCode!, ecQrChannel: b.ecQrChannel! };
    // validated to be "01" and the ecToken: the workflow sets them itself
    const { mdtrt_cert_type: _type, mdtrt_cert_no: _no, ...payRequest } = b.payRequest;
    const { orderNo } = await deps.service.commands.start(
      {
        identity,
        operator: b.operator,
        payRequest,
        ...(b.pName ? { pName: b.pName } : {}),
        ...(b.pIdNo ? { pIdNo: b.pIdNo.toUpperCase() } : {}),
        ...(b.wuqiPayRequest ? { wuqiPayRequest: b.wuqiPayRequest } : {}),
        ...(b.insuplcAdmdvs ? { insuplcAdmdvs: b.insuplcAdmdvs } : {}),
        ...(b.termIp || b.officeId || b.officeName ? { terminal: { termIp: b.termIp, officeId: b.officeId, officeName: b.officeName } } : {}),
      },
      headers['Idempotency-Key'] ?? b.idempotencyKey,
    );
    return { orderNo, status: 'PROCESSING' as const, links: links(deps.config, orderNo) };
  },
});

export const listSettlements = defineRoute({
  method: 'get',
  path: '/api/settlements',
  operationId: 'listSettlements',
  tag: 'settlements',
  summary: 'List settlements (Temporal visibility)',
  description: "Pages by `cursor` (the previous answer's nextCursor, with the same filters) and `limit`; newest first.",
  access: ['his', 'finance', 'ops'],
  input: { query: listQuerySchema },
  ok: { status: 200, description: 'settlements', schema: settlementListSchema },
  problems: [],
  handler: async ({ query }, { deps }) => {
    const { items, next } = await cursorChecked(() => deps.service.queries.list(query));
    return { items, ...(next ? { nextCursor: encodeCursor(next) } : {}) };
  },
});

/** A cursor the list refuses (other filters, a token the server does not know) is VALIDATION_FAILED on `cursor`. */
export async function cursorChecked<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof CursorRefused)
      throw new ApiProblem('VALIDATION_FAILED', `cursor: ${err.message}`, { errors: [{ path: 'cursor', message: err.message }] });
    throw err;
  }
}

export const getSettlement = defineRoute({
  method: 'get',
  path: '/api/settlements/{orderNo}',
  operationId: 'getSettlement',
  tag: 'settlements',
  summary: 'A settlement and its refund',
  description:
    '`?wait=N` long-polls up to N seconds (≤30) while it is PROCESSING. Names, ID numbers, birth date, gender, age and psn_no are masked. When the order cannot answer within about a second (no worker, a restart), the status it keeps in Temporal answers: `source: "visibility"`, without events or setlinfo.',
  access: ['his', 'finance', 'ops'],
  input: { params: orderNoPath, query: statusQuerySchema },
  ok: { status: 200, description: 'status view', schema: settlementViewSchema },
  problems: ['ORDER_NOT_FOUND', 'WORKFLOW_NOT_READY'],
  handler: async ({ params: { orderNo }, query }, { deps }) => {
    const q = deps.service.queries;
    const { view, source } = query.wait ? await q.statusAfterWait(orderNo, query.wait * 1000) : await q.statusForRead(orderNo);
    return toApiView(view, source);
  },
});

export const refundSettlement = defineRoute({
  method: 'post',
  path: '/api/settlements/{orderNo}/refund',
  operationId: 'refundSettlement',
  tag: 'settlements',
  summary: 'Refund a PAID settlement (insurance part, then cash part)',
  access: ['his'],
  input: { params: orderNoPath, body: refundSchema },
  ok: {
    status: 202,
    description: 'refund accepted (a repeat returns the existing refund)',
    schema: z.object({ orderNo: z.string(), refund: refundViewSchema, links: linksSchema }).openapi('RefundAccepted'),
  },
  problems: ['ORDER_NOT_FOUND', 'REFUND_NOT_ALLOWED', 'ORDER_CLOSED', 'WORKFLOW_NOT_READY'],
  handler: async ({ params: { orderNo }, body }, { deps }) => {
    const refund = await deps.service.commands.refund(orderNo, body);
    return { orderNo, refund: apiRefund(refund), links: links(deps.config, orderNo) };
  },
});
