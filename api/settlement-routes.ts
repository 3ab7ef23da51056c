import { Router, type Request, type Response } from 'express';
import type { Config } from '../common/config';
import type { SettlementView } from '../workflows/messages';
import { badRequest, problem } from './errors';
import { inboxItemView, toApiView } from './order-view';
import { reconcile, toCsv } from './reconciliation';
import { createSettlementSchema, statusQuerySchema, dateQuerySchema, inboxMatchParams, inboxMatchSchema, listQuerySchema, orderNoParam, refundSchema, resolveSchema } from './schemas';
import { Conflict, NotFound, type SettlementService } from './settlement-service';

/** The status view as the checkout sees it: the API's own type, personal data masked (order-view.ts). */
export const publicView = (v: SettlementView) => toApiView(v);

/** The service's NotFound and Conflict become 404 and 409; anything else is the error handler's. */
async function serviceErrors(res: Response, fn: () => Promise<unknown>) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof NotFound) return problem(res, 404, err.message);
    if (err instanceof Conflict) return res.status(409).json({ error: err.message, ...(err.orderNo ? { orderNo: err.orderNo } : {}) });
    throw err;
  }
}

export function settlementRoutes(service: SettlementService, config: Config) {
  const r = Router();
  const links = (orderNo: string) => ({
    self: `/api/settlements/${orderNo}`,
    refund: `/api/settlements/${orderNo}/refund`,
    ui: `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${orderNo}`,
  });

  const withOrder = (handler: (orderNo: string, req: Request, res: Response) => Promise<unknown>) => async (req: Request, res: Response) => {
    const p = orderNoParam.safeParse(req.params);
    if (!p.success) return badRequest(res, p.error);
    return serviceErrors(res, () => handler(p.data.orderNo, req, res));
  };

  r.post('/settlements', async (req, res) => {
    const body = createSettlementSchema.safeParse(req.body);
    if (!body.success) return badRequest(res, body.error);
    const header = req.header('idempotency-key');
    if (header !== undefined && (header.length === 0 || header.length > 128)) return problem(res, 400, 'Idempotency-Key must be 1-128 characters');
    const b = body.data;
    const identity = b.ecToken ? { ecToken: b.ecToken } : { ecQrCode: b.ecQrCode!, ecQrChannel: b.ecQrChannel! };
    // validated to be "01" and the ecToken: the workflow sets them itself
    const { mdtrt_cert_type: _type, mdtrt_cert_no: _no, ...payRequest } = b.payRequest;
    return serviceErrors(res, async () => {
      const { orderNo } = await service.start(
        {
          identity,
          operator: b.operator,
          payRequest,
          ...(b.pName ? { pName: b.pName } : {}),
          ...(b.pIdNo ? { pIdNo: b.pIdNo.toUpperCase() } : {}),
          ...(b.wuqiPayRequest ? { wuqiPayRequest: b.wuqiPayRequest } : {}),
          ...(b.insuplcAdmdvs ? { insuplcAdmdvs: b.insuplcAdmdvs } : {}),
        },
        header ?? b.idempotencyKey,
      );
      return res.status(202).json({ orderNo, status: 'PROCESSING', links: links(orderNo) });
    });
  });

  r.get('/settlements', async (req, res) => {
    const q = listQuerySchema.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    return res.json({ items: await service.list(q.data) });
  });

  r.get(
    '/settlements/:orderNo',
    withOrder(async (orderNo, req, res) => {
      const q = statusQuerySchema.safeParse(req.query);
      if (!q.success) return badRequest(res, q.error);
      const view = q.data.wait ? await service.statusAfterWait(orderNo, q.data.wait * 1000) : await service.status(orderNo);
      return res.json(publicView(view));
    }),
  );

  r.post(
    '/settlements/:orderNo/refund',
    withOrder(async (orderNo, req, res) => {
      const body = refundSchema.safeParse(req.body);
      if (!body.success) return badRequest(res, body.error);
      const refund = await service.refund(orderNo, body.data);
      return res.status(202).json({ orderNo, refund, links: links(orderNo) });
    }),
  );

  r.post(
    '/settlements/:orderNo/resolve',
    withOrder(async (orderNo, req, res) => {
      const body = resolveSchema.safeParse(req.body);
      if (!body.success) return badRequest(res, body.error);
      return res.json(publicView(await service.resolve(orderNo, body.data)));
    }),
  );

  r.get('/reviews', async (_req, res) => {
    const items = (await service.reviews()).map(({ refund, ...i }) => {
      const rf = refund as { workflowId: string; status: string; reason?: string } | undefined;
      return { ...i, ...(rf ? { refund: { workflowId: rf.workflowId, status: rf.status, ...(rf.reason ? { reason: rf.reason } : {}) } } : {}) };
    });
    return res.json({ items });
  });

  r.get('/reconciliation', async (req, res) => {
    const q = dateQuerySchema.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    const full = await reconcile(service, q.data.date);
    const report = { ...full, flags: { ...full.flags, orphanPushes: full.flags.orphanPushes.map(inboxItemView) } };
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="reconciliation-${q.data.date}.csv"`);
      // toCsv starts with a UTF-8 BOM so that Excel reads the Chinese text as UTF-8; rows hold no identity fields
      return res.send(toCsv(full));
    }
    return res.json(report);
  });

  r.get('/inbox', async (req, res) => {
    const q = dateQuerySchema.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error);
    return res.json({ items: (await service.inbox(q.data.date)).map(inboxItemView) });
  });

  r.post('/inbox/:date/:index/match', async (req, res) => {
    const p = inboxMatchParams.safeParse(req.params);
    if (!p.success) return badRequest(res, p.error);
    const body = inboxMatchSchema.safeParse(req.body);
    if (!body.success) return badRequest(res, body.error);
    return serviceErrors(res, async () => res.json(inboxItemView(await service.matchInbox(p.data.date, p.data.index, body.data.orderNo, body.data.operator))));
  });

  return r;
}
