import { z } from 'zod';
import '../schemas'; // extends zod with .openapi()
import { centreCsv, CentreReconciliations, POST_WAIT_MS, table200Zip, type SendView } from '../centre-reconciliation';
import { ApiProblem } from '../errors';
import { isCalendarDate } from '../reconciliation';
import { dateRefusal } from '../../common/centre-check';
import { formatDate } from '../../protocol/shanghai-time';
import { defineRoute, SENT } from './route';
import { json } from './responses';

// The hospital's day close (issue 18, 4): GET gives our day in the 3201 / 3202 (表200) / SL01 shapes (export, for
// the HIS's own close) and the last send-mode result; POST runs send mode (CENTRE_RECONCILIATION=send only).

const dateField = z
  .string()
  .refine(isCalendarDate, 'must be a date as YYYY-MM-DD')
  .openapi({ description: 'the Shanghai day (Asia/Shanghai) to close', example: '2026-11-27' });

const fen = z.number().int();
const oursSchema = z
  .object({ count: z.number().int(), medfee: fen, fund: fen, account: fen, cash: fen })
  .openapi({ description: 'our totals of the group, in fen' });
const sl01TotalsSchema = z
  .object({
    date: z.string(),
    daycount: z.number().int().openapi({ description: '对帐日中心流水号数量: settlements and refunds (§4.6.1.2 说明 1)' }),
    settlements: z.number().int(),
    refunds: z.number().int(),
    totalcuraccpay: fen,
    totalhisaccpay: fen.openapi({ description: 'V1.0.6: 医保结算范围内历年账户支付数 + 共济账户支付数' }),
    totalcashpay: fen,
    totaltcpay: fen,
    totaldffjpay: fen,
    totalflzf: fen.openapi({ description: 'V1.0.6: 分类自负现金总额' }),
    totalzfaccpay: fen.openapi({ description: 'V1.0.6: 非医保结算范围自费历年账户支付数 + 自费共济账户支付数' }),
    totalfybjsfw: fen,
  })
  .openapi('Sl01Totals', { description: 'our SL01 totals in fen (a refund subtracts)' });
const sl01InputSchema = z
  .record(z.string())
  .openapi('Sl01Input', { description: 'the SL01 入参 as sent (V1.0.6 A.4): daycollate, daycount, the totals in 数字格式A' });
const detailSchema = z
  .object({
    orderNo: z.string().optional().openapi({ description: 'our order behind the 表201 row' }),
    kind: z.enum(['settlement', 'refund']).optional(),
    outside: z.boolean().openapi({ description: 'the row matches none of our orders: outside shyb-pay' }),
    matchedBy: z.enum(['setl_id', 'msgid']).optional(),
    setlId: z.string(),
    mdtrtId: z.string(),
    psnNo: z.string(),
    msgid: z.string(),
    stmt_rslt: z.string(),
    stmt_rslt_dscr: z.string(),
    refd_setl_flag: z.string(),
    memo: z.string(),
    centre: z.object({ medfee: fen.nullable(), fund: fen.nullable(), account: fen.nullable() }),
    ours: z.object({ medfee: fen, fund: fen, account: fen, cash: fen }).optional(),
  })
  .openapi('Table201Row');
const groupKey = { insutype: z.string(), clr_type: z.string(), setl_optins: z.string() };
const resultSchema = z
  .object({
    date: z.string(),
    mode: z.literal('send'),
    outcome: z
      .enum(['balanced', 'differences'])
      .openapi({ description: 'balanced only when every 3201 group is 0 (平) and SL01 passed (2, 3 or 4); an unknown code is a difference' }),
    national: z.array(
      z
        .object({
          ...groupKey,
          ours: oursSchema,
          stmt_rslt: z.string().openapi({ description: "3201's 对账结果 as answered (0 平; any other code, unknown ones too, is not balanced)" }),
          stmt_rslt_dscr: z.string(),
          stmt_rslt_meaning: z.string(),
          balanced: z.boolean(),
          asked: z.array(z.object({ infno: z.enum(['3201', '9101', '3202', '9102']), msgid: z.string(), at: z.string() })),
          refused: z
            .object({ infno: z.string(), code: z.string(), message: z.string() })
            .optional()
            .openapi({ description: '3201, 9101, 3202 or 9102 refused: the group is not reconciled' }),
          detail: z
            .object({
              setl_optins: z.string(),
              clr_type: z.string(),
              uploaded: z.object({ file_qury_no: z.string(), filename: z.string(), rows: z.number().int() }),
              result: z.object({ file_qury_no: z.string(), filename: z.string(), rows: z.number().int(), balancedRows: z.number().int() }).optional(),
            })
            .optional()
            .openapi({ description: "3202's scope (表198 has no insutype), the 表200 file uploaded (9101) and the 表201 file read (9102)" }),
          details: z.array(detailSchema).optional().openapi({ description: '3202 表201 rows not 平, when the totals differed' }),
          detailsProblem: z.string().optional(),
        })
        .openapi('Centre3201Group'),
    ),
    wuqi: z.object({
      ours: sl01TotalsSchema,
      resultcollate: z.string().nullable().openapi({ description: "SL01's 对账结果 as answered (null: not sent, or empty)" }),
      meaning: z.string(),
      reading: z.enum(['balanced', 'alreadyPassed', 'differences', 'unknown', 'notSent']),
      msgid: z.string().optional(),
      note: z.string().optional().openapi({ description: 'what the clerk does next' }),
    }),
    discrepancies: z.array(
      z
        .object({
          route: z.enum(['NATIONAL', 'WUQI']),
          group: z.object(groupKey).optional(),
          orderNo: z.string().optional().openapi({ description: 'the order behind the difference, when 表201 names one of ours' }),
          kind: z.enum(['settlement', 'refund']).optional(),
          code: z.string().nullable().openapi({ description: 'stmt_rslt (national) or resultcollate (五期) as answered' }),
          meaning: z.string(),
          ours: z.unknown().optional().openapi({ description: "our side: the order's amounts, the group's totals or the SL01 totals (fen)" }),
          centre: z.object({ medfee: fen.nullable(), fund: fen.nullable(), account: fen.nullable() }).optional(),
          setlId: z.string().optional(),
          msgid: z.string().optional(),
          memo: z.string().optional(),
        })
        .openapi('CentreDiscrepancy'),
    ),
    outside: z.array(detailSchema).openapi({ description: "the centre's rows that match none of our orders" }),
    incomplete: z.array(z.object({ orderNo: z.string(), reason: z.string() })),
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .openapi('CentreReconciliationResult');
const sendSchema = z
  .object({
    workflowId: z.string().openapi({ description: 'centre-reconciliation-<taskQueue>-<date>, for the Temporal UI' }),
    status: z
      .enum(['running', 'finished', 'failed'])
      .openapi({ description: 'running: not finished (also while the centre does not answer and a step retries)' }),
    result: resultSchema.optional(),
    error: z.string().optional(),
    retrying: z.object({ attempt: z.number().int(), lastFailure: z.string().optional(), nextAttemptAt: z.string().optional() }).optional(),
  })
  .openapi('CentreReconciliationRun');
const exportSchema = z
  .object({
    date: z.string(),
    mode: z.enum(['export', 'send']).openapi({ description: 'CENTRE_RECONCILIATION of this deployment' }),
    national: z.object({
      groups: z.array(
        z
          .object({
            ...groupKey,
            count: z.number().int().openapi({ description: 'fixmedins_setl_cnt: settlements and refund records' }),
            medfee: fen,
            fund: fen,
            account: fen,
            cash: fen,
            refd_setl_flag: z.string(),
            input3201: z
              .object({
                insutype: z.string(),
                clr_type: z.string(),
                setl_optins: z.string(),
                stmt_begndate: z.string(),
                stmt_enddate: z.string(),
                medfee_sumamt: z.string(),
                fund_pay_sumamt: z.string(),
                acct_pay: z.string(),
                fixmedins_setl_cnt: z.number().int(),
                refd_setl_flag: z.string().optional(),
                exp_content: z.string().optional(),
              })
              .openapi({ description: 'the 3201 input (表196 data), amounts in yuan' }),
            notSent: z.string().optional().openapi({
              description:
                'insutype, clr_type or setl_optins (clr_optins) is empty in the stored settlement: this group cannot be sent (3201 requires them); never guessed',
            }),
          })
          .openapi('Recon3201Group'),
      ),
      table200: z.array(
        z.object({
          clr_type: z.string(),
          setl_optins: z.string(),
          filename: z.string(),
          rows: z.number().int(),
          txt: z.string().openapi({ description: '表200 TXT: TAB-separated, one row per record; a refund is its negative row (refd_setl_flag 1)' }),
        }),
      ),
      orders: z
        .array(
          z.object({
            orderNo: z.string(),
            kind: z.enum(['settlement', 'refund']),
            setlId: z.string(),
            mdtrtId: z.string(),
            psnNo: z.string(),
            medinsSetlId: z.string().optional(),
            msgid: z.string().optional(),
            setlTime: z.string(),
            insutype: z.string(),
            clrType: z.string(),
            clrOptins: z.string(),
            medfeeFen: fen,
            fundFen: fen,
            accountFen: fen,
            cashFen: fen,
          }),
        )
        .openapi({ description: 'our national settlements and refunds of the day (amounts in fen, refunds negative)' }),
    }),
    wuqi: z.object({
      totals: sl01TotalsSchema,
      sl01: sl01InputSchema,
      entries: z.array(
        z.object({
          orderNo: z.string(),
          kind: z.enum(['settlement', 'refund']),
          lsh: z.string(),
          parts: z
            .object({ curacc: fen, hisacc: fen, cash: fen, tc: fen, dffj: fen, flzf: fen, zfacc: fen, fybjsfw: fen })
            .openapi({ description: "the settlement's share of each SL01 total, in fen (a refund subtracts it)" }),
        }),
      ),
    }),
    incomplete: z
      .array(z.object({ orderNo: z.string(), reason: z.string() }))
      .openapi({ description: 'orders of the day not in the totals: no stored settlement details (add them by hand)' }),
    send: sendSchema.optional().openapi({ description: 'the last send-mode run of the day, when there is one' }),
  })
  .openapi('CentreReconciliationExport');

/** A future day, or one beyond CENTRE_CHECK_RETENTION_DAYS: 400. `send` also refuses today: SL01 keeps state and would pass a day not over. */
const refuseDate = (config: { CENTRE_CHECK_RETENTION_DAYS: number }, date: string, send: boolean) => {
  const why =
    dateRefusal(date, Date.now(), config.CENTRE_CHECK_RETENTION_DAYS) ??
    (send && date === formatDate(Date.now()) ? `${date} is today (Asia/Shanghai): a day is closed once it is over` : undefined);
  if (why) throw new ApiProblem('VALIDATION_FAILED', `date: ${why}`, { errors: [{ path: 'date', message: why }] });
};
const location = (date: string) => `/api/reconciliations/centre?date=${date}`;

export const getCentreReconciliation = defineRoute({
  method: 'get',
  path: '/api/reconciliations/centre',
  operationId: 'getCentreReconciliation',
  tag: 'finance',
  summary: "The hospital's day close: our day as 3201 totals, 3202 表200 rows and SL01 totals, and the last send result",
  description:
    "JSON by default. `format=table200`: the 表200 TXT of every scope (text/plain); `format=zip`: one 表200 TXT per (setl_optins, clr_type) in a zip, as 3202 uploads it; `format=csv`: ours and (after a send) the centre's side by side, with discrepancies and rows outside shyb-pay; Chinese headers unless `lang=en`. A future day, or one beyond CENTRE_CHECK_RETENTION_DAYS, is a 400.",
  access: ['finance'],
  input: {
    query: z
      .object({
        date: dateField,
        format: z
          .enum(['json', 'table200', 'zip', 'csv'])
          .optional()
          .openapi({ description: 'json (default), table200 (text/plain), zip (application/zip), csv (text/csv)' }),
        lang: z.enum(['zh', 'en']).optional().openapi({ description: "the CSV's language: zh (default) or en (the field names)" }),
      })
      .strict(),
  },
  ok: {
    status: 200,
    description: 'the export shapes and the last send result',
    schema: exportSchema,
    alsoAs: { 'text/plain': z.string(), 'text/csv': z.string(), 'application/zip': z.string().openapi({ format: 'binary' }) },
  },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query: { date, format, lang } }, { deps, res }) => {
    refuseDate(deps.config, date, false);
    const e = await new CentreReconciliations(deps.service.client, deps.config).export(deps.service.queries, date);
    if (format === 'table200') {
      res.type('text/plain; charset=utf-8').setHeader('content-disposition', `attachment; filename="table200-${date}.txt"`);
      res.send(e.national.table200.map((t) => t.txt).join(''));
      return SENT;
    }
    if (format === 'zip') {
      res.type('application/zip').setHeader('content-disposition', `attachment; filename="table200-${date}.zip"`);
      res.send(Buffer.from(table200Zip(e)));
      return SENT;
    }
    if (format === 'csv') {
      const l = lang ?? 'zh';
      res
        .type('text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="centre-reconciliation-${date}${l === 'en' ? '-en' : ''}.csv"`);
      res.setHeader('content-language', l === 'zh' ? 'zh-CN' : 'en');
      res.send(centreCsv(e, l));
      return SENT;
    }
    return e;
  },
});

export const startCentreReconciliation = defineRoute({
  method: 'post',
  path: '/api/reconciliations/centre',
  operationId: 'startCentreReconciliation',
  tag: 'finance',
  summary: 'Send the day close to the centre now (3201, 3202 when not 平, SL01): CENTRE_RECONCILIATION=send only',
  description: `Starts the day's centreReconciliation workflow, or joins the one running (a closed one runs again). 200 with the result when it ends within ${POST_WAIT_MS / 1000} s, else 202 with a Location to poll (GET /api/reconciliations/centre?date=, its \`send\`). In export mode it is a 409: the centre reconciles everything under the hospital's code, and SL01 keeps state, so a close of our subset would collide with the HIS's own. Today, a future day, or one beyond CENTRE_CHECK_RETENTION_DAYS is a 400.`,
  access: ['finance'],
  input: { body: z.object({ date: dateField }).strict().openapi('CentreReconciliationRequest') },
  ok: { status: 200, description: 'the run ended: its result', schema: sendSchema },
  otherResponses: { 202: { description: 'still running: poll the Location', headers: { Location: { schema: { type: 'string' } } }, ...json(sendSchema) } },
  problems: ['CENTRE_RECONCILIATION_EXPORT_MODE', 'WORKFLOW_NOT_READY'],
  handler: async ({ body: { date } }, { deps, res }) => {
    if (deps.config.CENTRE_RECONCILIATION !== 'send')
      throw new ApiProblem(
        'CENTRE_RECONCILIATION_EXPORT_MODE',
        'CENTRE_RECONCILIATION=export: the HIS sends the close; use GET /api/reconciliations/centre for our day in its shapes',
      );
    refuseDate(deps.config, date, true);
    const r = await new CentreReconciliations(deps.service.client, deps.config).start(date);
    if (r.done) return r.view;
    res
      .status(202)
      .location(location(date))
      .json(r.view satisfies SendView);
    return SENT;
  },
});
