// The national day close against the centre (issue 18 item 4, `send` mode): 3201 对总账 per group and, when a
// group does not balance, 3202 对明细账 over its scope: the 表200 file zipped and uploaded with 9101, 3202,
// the 表201 result downloaded with 9102 and matched to our orders. The pure parts are protocol/recon-national.ts.
// A centre that does not answer (timeout, HTTP error, malformed reply) throws a retryable failure: the
// activity is read-only for the money, so Temporal asks again. A refusal (infcode -1) is kept in the result.
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type { Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import { InvalidRequestError, type CallOutcome, type PlatformClient } from '../../platform/client';
import type { Operator } from '../../protocol/national-header';
import {
  build3201Input,
  build3202Input,
  buildTable200,
  group3201,
  input3201,
  input3202,
  input9101,
  input9102,
  isBalanced,
  matchTable201,
  missingGroupKey,
  ordersOfScope,
  ordersOnDay,
  output3201,
  output3202,
  output9101,
  parseTable201,
  reconOrder,
  scopeTotals,
  stmtRsltMeaning,
  table200FileName,
  Table201Error,
  type GroupTotals,
  type Asked,
  type NationalDetail,
  type NationalReconResult,
  type ReconDay,
  type ReconOrder,
  type Table201Row,
} from '../../protocol/recon-national';
import { encodeFileBytes, unzipTxt, zipTxt, ZipError } from '../../protocol/recon-files';
import { describeZodError } from '../../protocol/zod-helpers';

export interface ReconNationalDeps {
  client: PlatformClient;
  config: Pick<Config, 'FIXMEDINS_CODE' | 'RECON_FILE_ENCODING'>;
  log?: Logger;
}

const dateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd');
const groupInput = z.object({
  insutype: z.string(),
  clr_type: z.string(),
  setl_optins: z.string(),
  count: z.number().int(),
  medfee: z.number().int(),
  fund: z.number().int(),
  account: z.number().int(),
  cash: z.number().int(),
});
const dayInput = z.object({ date: dateInput, orders: z.array(reconOrder) });

function check<T>(what: string, schema: z.ZodType<T>, v: unknown): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new InvalidRequestError(`refusing to send invalid ${what}: ${describeZodError(r.error)}`);
  return r.data;
}

/** No answer from the centre: retry (the run is read-only for the money). */
function unavailable(infno: string, o: Extract<CallOutcome<unknown>, { kind: 'unknown' }>): never {
  throw ApplicationFailure.retryable(`${infno} msgid ${o.msgid}: the centre did not answer: ${o.reason}`, 'CentreUnavailable');
}

const totalsOf = (g: GroupTotals) => ({ count: g.count, medfee: g.medfee, fund: g.fund, account: g.account, cash: g.cash });
const keyOf = (g: { insutype: string; clr_type: string; setl_optins: string }) => `${g.insutype}\u0000${g.clr_type}\u0000${g.setl_optins}`;
const scopeKeyOf = (g: { clr_type: string; setl_optins: string }) => `${g.clr_type}\u0000${g.setl_optins}`;

type Details = Pick<NationalReconResult, 'asked' | 'refused' | 'detail' | 'details' | 'detailsProblem'>;

export function createReconNationalActivities(deps: ReconNationalDeps) {
  const { client, config } = deps;
  const operator = (o?: Operator): Operator => o ?? client.signIn.operator;

  /** 3201 of one group. */
  async function ask3201(g: GroupTotals, day: ReconDay, op: Operator): Promise<NationalReconResult> {
    const notSent = missingGroupKey(g);
    if (notSent)
      return {
        insutype: g.insutype,
        clr_type: g.clr_type,
        setl_optins: g.setl_optins,
        ours: totalsOf(g),
        stmt_rslt: '',
        stmt_rslt_dscr: '',
        stmt_rslt_meaning: stmtRsltMeaning(''),
        balanced: false,
        asked: [],
        notSent,
      };
    const input = check('3201 input', input3201, build3201Input(g, day));
    const at = new Date().toISOString();
    const r = await client.national({ infno: '3201', input, operator: op, outputSchema: output3201 });
    const base = {
      insutype: g.insutype,
      clr_type: g.clr_type,
      setl_optins: g.setl_optins,
      ours: totalsOf(g),
      asked: [{ infno: '3201' as const, msgid: r.msgid, at }],
    };
    if (r.kind === 'unknown') unavailable('3201', r);
    if (r.kind === 'business') {
      return {
        ...base,
        stmt_rslt: '',
        stmt_rslt_dscr: '',
        stmt_rslt_meaning: stmtRsltMeaning(''),
        balanced: false,
        refused: { infno: '3201', code: r.code, message: r.message },
      };
    }
    const s = r.output.stmtinfo;
    const meaning = stmtRsltMeaning(s.stmt_rslt);
    return { ...base, stmt_rslt: s.stmt_rslt, stmt_rslt_dscr: s.stmt_rslt_dscr || meaning, stmt_rslt_meaning: meaning, balanced: isBalanced(s.stmt_rslt) };
  }

  /** 9101 → 3202 → 9102 → 表201 over one (setl_optins, clr_type) scope of the day's orders. */
  async function detailsOf(scope: { setl_optins: string; clr_type: string }, dayOrders: ReconOrder[], day: ReconDay, op: Operator): Promise<Details> {
    const asked: Asked[] = [];
    const mine = ordersOfScope(dayOrders, scope);
    const txtName = table200FileName(config.FIXMEDINS_CODE, scope, day);
    const zipName = txtName.replace(/\.txt$/, '.zip');
    const zip = zipTxt(txtName, buildTable200(mine));
    const refusedBy = (infno: Asked['infno'], o: { code: string; message: string }): Details => ({
      asked,
      refused: { infno, code: o.code, message: o.message },
    });

    const upIn = check('9101 input', input9101, {
      fsUploadIn: { in: encodeFileBytes(zip, config.RECON_FILE_ENCODING), filename: zipName, fixmedins_code: config.FIXMEDINS_CODE },
    });
    let at = new Date().toISOString();
    const up = await client.national({ infno: '9101', input: upIn, operator: op, outputSchema: output9101 });
    asked.push({ infno: '9101', msgid: up.msgid, at });
    if (up.kind === 'unknown') unavailable('9101', up);
    if (up.kind === 'business') return refusedBy('9101', up);
    const uploaded = { file_qury_no: up.output.file_qury_no, filename: zipName, rows: mine.length };

    const in3202 = check('3202 input', input3202, build3202Input(scopeTotals(mine, scope), uploaded.file_qury_no, day));
    at = new Date().toISOString();
    const cmp = await client.national({ infno: '3202', input: in3202, operator: op, outputSchema: output3202 });
    asked.push({ infno: '3202', msgid: cmp.msgid, at });
    if (cmp.kind === 'unknown') unavailable('3202', cmp);
    if (cmp.kind === 'business') return { ...refusedBy('3202', cmp), detail: { ...scope, uploaded } };
    const f = cmp.output.fileinfo;

    const downIn = check('9102 input', input9102, {
      fsDownloadIn: { file_qury_no: f.file_qury_no, filename: f.filename, fixmedins_code: config.FIXMEDINS_CODE },
    });
    at = new Date().toISOString();
    const down = await client.nationalFile({ infno: '9102', input: downIn, operator: op });
    asked.push({ infno: '9102', msgid: down.msgid, at });
    if (down.kind === 'unknown') unavailable('9102', down);
    if (down.kind === 'business') return { ...refusedBy('9102', down), detail: { ...scope, uploaded } };

    let rows: Table201Row[];
    try {
      rows = unzipTxt(down.output).flatMap((t) => parseTable201(t.text));
    } catch (err) {
      if (!(err instanceof ZipError || err instanceof Table201Error)) throw err;
      deps.log?.warn({ file_qury_no: f.file_qury_no, detail: err.message }, '表201 could not be read');
      return { asked, detail: { ...scope, uploaded }, detailsProblem: err.message };
    }
    const { matched, outside } = matchTable201(rows, dayOrders);
    const differing = [...matched, ...outside].filter((d) => !isBalanced(d.stmt_rslt));
    return {
      asked,
      detail: {
        ...scope,
        uploaded,
        result: { file_qury_no: f.file_qury_no, filename: f.filename, rows: rows.length, balancedRows: rows.length - differing.length },
      },
      details: differing,
    };
  }

  /**
   * 3201 for one group of the day; when its stmt_rslt is not 0 (an unknown code included), the 3202 details
   * of its scope. `orders` are the day's orders (all of them: 3202's scope spans every insutype of the
   * group's setl_optins and clr_type); only those whose setl_time is on `date` count.
   */
  async function reconcileNationalGroup(input: { date: string; group: GroupTotals; orders: ReconOrder[]; operator?: Operator }): Promise<NationalReconResult> {
    const { date, orders } = check('reconciliation input', dayInput, input);
    const group = check('3201 group', groupInput, input.group);
    const day = { stmtBegndate: date, stmtEnddate: date };
    const op = operator(input.operator);
    const r = await ask3201(group, day, op);
    if (r.balanced || r.refused || r.notSent) return r;
    const d = await detailsOf(group, ordersOnDay(orders, date), day, op);
    return { ...r, ...d, asked: [...r.asked, ...d.asked] };
  }

  /**
   * The whole day: 3201 for every group of our orders on `date` (by the centre's setl_time), then 3202 once
   * per (setl_optins, clr_type) scope with a group that did not balance. A detail goes to the group of the
   * order behind it when that group is in the scope; any other row (outside shyb-pay, or an order of ours
   * whose group was not sent) to the first unbalanced group of the scope. A day without our
   * orders sends nothing (there is no group to ask about): the result is [].
   */
  async function reconcileNationalDay(input: { date: string; orders: ReconOrder[]; operator?: Operator }): Promise<NationalReconResult[]> {
    const { date, orders } = check('reconciliation input', dayInput, input);
    const day = { stmtBegndate: date, stmtEnddate: date };
    const op = operator(input.operator);
    const dayOrders = ordersOnDay(orders, date);
    const results: NationalReconResult[] = [];
    for (const g of group3201(dayOrders)) results.push(await ask3201(g, day, op));
    const groupOf = new Map(dayOrders.map((o) => [o.orderNo + o.kind, keyOf({ insutype: o.insutype, clr_type: o.clrType, setl_optins: o.clrOptins })]));
    const done = new Set<string>();
    for (const first of results.filter((x) => !x.balanced && !x.refused && !x.notSent)) {
      const sk = scopeKeyOf(first);
      if (done.has(sk)) continue;
      done.add(sk);
      const d = await detailsOf(first, dayOrders, day, op);
      first.asked.push(...d.asked);
      Object.assign(first, {
        ...(d.refused ? { refused: d.refused } : {}),
        ...(d.detail ? { detail: d.detail } : {}),
        ...(d.detailsProblem ? { detailsProblem: d.detailsProblem } : {}),
      });
      for (const det of d.details ?? []) {
        const k = det.orderNo ? groupOf.get(det.orderNo + det.kind) : undefined;
        const target = (k && results.find((x) => keyOf(x) === k && scopeKeyOf(x) === sk)) || first;
        (target.details ??= []).push(det);
      }
    }
    return results;
  }

  return { reconcileNationalGroup, reconcileNationalDay };
}

export type ReconNationalActivities = ReturnType<typeof createReconNationalActivities>;
