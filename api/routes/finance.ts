import { z } from 'zod';
import { inboxItemView } from '../order-view';
import { MAX_RANGE_DAYS, rangeDays, reconcileDays, toCsv, type CsvLang } from '../reconciliation';
import { ApiProblem } from '../errors';
import { encodeCursor } from '../cursor';
import {
  reconQuerySchema as reconDaysQuery,
  inboxItemSchema,
  inboxQuerySchema,
  inboxMatchParams,
  inboxMatchSchema,
  inboxSchema,
  reconReportSchema,
} from '../schemas';
import { keyNameOf } from '../auth';
import { defineRoute, SENT } from './route';

const reconQuerySchema = reconDaysQuery.extend({
  lang: z.enum(['zh', 'en']).optional().openapi({ description: "the CSV's language: zh (the default) or en (the field names, as before)" }),
});

/** ?lang wins; else Accept-Language (no header: zh); Chinese for a finance clerk unless English is asked for. */
function csvLang(lang: CsvLang | undefined, accepted: string | false): CsvLang {
  return lang ?? (accepted === 'en' ? 'en' : 'zh');
}

export const getReconciliation = defineRoute({
  method: 'get',
  path: '/api/reconciliation',
  operationId: 'getReconciliation',
  tag: 'finance',
  summary: "A day's (or a range of days') settlements and refunds (Shanghai time), totals per channel and status, flags",
  description: `\`?date=YYYY-MM-DD\` for one day, or \`?from=&to=\` for consecutive days (both included, at most ${MAX_RANGE_DAYS}). CSV (Accept: text/csv) has Chinese headers and \`at\` in Shanghai time by default; \`lang=en\`, or an Accept-Language preferring English, gives the field names and \`at\` in ISO UTC.`,
  access: ['finance'],
  input: { query: reconQuerySchema },
  ok: {
    status: 200,
    description: 'report (JSON, or CSV with a UTF-8 BOM for Accept: text/csv)',
    schema: reconReportSchema,
    alsoAs: { 'text/csv': z.string() },
  },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query }, { deps, req, res }) => {
    const full = await reconcileDays(deps.service.queries, reportDays(query));
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="reconciliation-${full.from === full.to ? full.from : `${full.from}_${full.to}`}.csv"`);
      // toCsv starts with a UTF-8 BOM so that Excel reads the Chinese text as UTF-8; rows hold no identity fields
      const lang = csvLang(query.lang, req.acceptsLanguages('zh', 'en'));
      res.setHeader('content-language', lang === 'zh' ? 'zh-CN' : 'en');
      res.send(toCsv(full, lang));
      return SENT;
    }
    return { ...full, flags: { ...full.flags, orphanPushes: full.flags.orphanPushes.map((p) => ({ ...inboxItemView(p), date: p.date })) } };
  },
});

/** The days a report covers: date alone, or from and to together; otherwise VALIDATION_FAILED naming the field. */
function reportDays(q: { date?: string; from?: string; to?: string }): string[] {
  const refuse = (path: string, message: string) => new ApiProblem('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path, message }] });
  if (q.date !== undefined) {
    if (q.from !== undefined || q.to !== undefined) throw refuse('date', 'give date, or from and to, not both');
    return [q.date];
  }
  if (q.from === undefined) throw refuse('from', 'date, or from and to, is required');
  if (q.to === undefined) throw refuse('to', 'required with from');
  const days = rangeDays(q.from, q.to);
  if (!Array.isArray(days)) throw refuse(days.field, days.message);
  return days;
}

export const listInbox = defineRoute({
  method: 'get',
  path: '/api/inbox',
  operationId: 'listInbox',
  tag: 'finance',
  summary: 'Pushes acknowledged but not attached to a running order (unknown ecToken, closed order)',
  access: ['finance', 'ops'],
  description:
    "Pages by `cursor` (the previous answer's nextCursor) and `limit`. A day keeps at most `capacity` pushes; later ones are acknowledged and counted in `dropped`.",
  input: { query: inboxQuerySchema },
  ok: { status: 200, description: 'inbox', schema: inboxSchema },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query: { date, cursor, limit } }, { deps }) => {
    const page = await deps.service.queries.inboxPage(date, cursor?.i ?? 0, limit);
    return {
      items: page.items.map(inboxItemView),
      ...(page.next !== undefined ? { nextCursor: encodeCursor({ i: page.next }) } : {}),
      total: page.total,
      dropped: page.dropped,
      capacity: page.capacity,
    };
  },
});

export const matchInboxPush = defineRoute({
  method: 'post',
  path: '/api/inbox/{date}/{index}/match',
  operationId: 'matchInboxPush',
  tag: 'finance',
  summary: 'Match an inbox push to an order',
  access: ['finance'],
  input: { params: inboxMatchParams.extend({ date: inboxMatchParams.shape.date.openapi({ example: '2026-11-27' }) }), body: inboxMatchSchema },
  ok: { status: 200, description: 'matched', schema: inboxItemSchema },
  problems: ['ORDER_NOT_FOUND', 'INBOX_NOT_FOUND', 'INBOX_MATCH_REFUSED', 'WORKFLOW_NOT_READY'],
  handler: async ({ params, body }, { deps, res }) =>
    inboxItemView(await deps.service.commands.matchInbox(params.date, params.index, body.orderNo, body.operator, keyNameOf(res))),
});
