import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { describeRun, retryingOf, type Retrying } from './run-retrying';
import { zipSync, strToU8 } from 'fflate';
import { readCentreDay } from '../activities/centre-reconciliation';
import type { CentreDay } from '../common/centre-day';
import { centreReconciliationWorkflowId } from '../common/centre-check';
import type { Config } from '../common/config';
import type { CentreReconciliationResult } from '../protocol/centre-reconciliation';
import { formatYuan } from '../protocol/money';
import {
  build3201Input,
  buildTable200,
  group3201,
  missingGroupKey,
  ordersOfScope,
  REFD_SETL_FLAG_SENT,
  table200FileName,
  type GroupTotals,
} from '../protocol/recon-national';
import { sl01InputOf, sl01Totals, type Sl01Input, type Sl01Totals } from '../protocol/recon-wuqi';
import type { centreReconciliation } from '../workflows/centre-reconciliation';
import { CSV_BOM, type CsvLang } from './reconciliation';
import type { SettlementQueries } from './service';

// The hospital's day close over HTTP (issue 18, 4). export: our day in the exact shapes 3201 (per group), 3202
// (表200 TXT, per scope) and SL01 (V1.0.6 input) need, for the HIS to merge into its own close. send: the
// centreReconciliation workflow (one per day), started or joined; its last result is read back beside the export.

/** How long POST waits for the run to end before answering 202. */
export const POST_WAIT_MS = 5_000;

export interface CentreExport {
  date: string;
  mode: 'export' | 'send';
  national: {
    /** 3201 per (insutype, clr_type, setl_optins): our totals in fen and the 表196 input */
    groups: Array<GroupTotals & { refd_setl_flag: string; input3201: ReturnType<typeof build3201Input>['data']; notSent?: string }>;
    /** 3202's 表200 file per (setl_optins, clr_type) scope (表198 has no insutype) */
    table200: Array<{ clr_type: string; setl_optins: string; filename: string; rows: number; txt: string }>;
    orders: CentreDay['national'];
  };
  wuqi: { totals: Sl01Totals; sl01: Sl01Input; entries: CentreDay['wuqi'] };
  incomplete: CentreDay['incomplete'];
  /** the last send-mode run of the day, if any */
  send?: SendView;
}

export interface SendView {
  workflowId: string;
  status: 'running' | 'finished' | 'failed';
  result?: CentreReconciliationResult;
  error?: string;
  /** while an activity is retried because the centre does not answer: the day is unfinished */
  retrying?: Retrying;
}

/** The 3202 scopes of the day: (setl_optins, clr_type), each with its orders of every insutype. */
function scopesOf(day: CentreDay): Array<{ clr_type: string; setl_optins: string }> {
  const seen = new Map<string, { clr_type: string; setl_optins: string }>();
  for (const o of day.national) seen.set(`${o.clrOptins}\u0000${o.clrType}`, { clr_type: o.clrType, setl_optins: o.clrOptins });
  return [...seen.values()].sort((a, b) => `${a.setl_optins}\u0000${a.clr_type}`.localeCompare(`${b.setl_optins}\u0000${b.clr_type}`));
}

/** The export shapes of a day (pure over CentreDay). */
export function exportOf(day: CentreDay, config: Pick<Config, 'CENTRE_RECONCILIATION' | 'FIXMEDINS_CODE'>): CentreExport {
  const span = { stmtBegndate: day.date, stmtEnddate: day.date };
  const totals = sl01Totals(day.date, day.wuqi);
  return {
    date: day.date,
    mode: config.CENTRE_RECONCILIATION,
    national: {
      groups: group3201(day.national).map((g) => {
        const notSent = missingGroupKey(g);
        return { ...g, refd_setl_flag: REFD_SETL_FLAG_SENT, input3201: build3201Input(g, span).data, ...(notSent ? { notSent } : {}) };
      }),
      table200: scopesOf(day).map((s) => {
        const orders = ordersOfScope(day.national, s);
        return { ...s, filename: table200FileName(config.FIXMEDINS_CODE, s, span), rows: orders.length, txt: buildTable200(orders) };
      }),
      orders: day.national,
    },
    wuqi: { totals, sl01: sl01InputOf(totals), entries: day.wuqi },
    incomplete: day.incomplete,
  };
}

/** 表200 files as 3202 wants them: TXT files in one zip (§5.3.2.2.2 item 3), one per scope. */
export function table200Zip(e: CentreExport): Uint8Array {
  return zipSync(Object.fromEntries(e.national.table200.map((t) => [t.filename, strToU8(t.txt)])), { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

const CSV_HEAD = [
  ['section', '类别'],
  ['route', '路线'],
  ['insutype', '险种'],
  ['clr_type', '清算类别'],
  ['setl_optins', '结算经办机构'],
  ['orderNo', '订单号'],
  ['item', '项目'],
  ['value', '数值'],
  ['count', '笔数'],
  ['medfee', '医疗费总额'],
  ['fund', '基金支付'],
  ['account', '个人账户支付'],
  ['cash', '现金支付'],
  ['centre_result', '中心对账结果'],
  ['centre_meaning', '结果说明'],
  ['centre_medfee', '中心医疗费总额'],
  ['centre_fund', '中心基金支付'],
  ['centre_account', '中心个人账户支付'],
] as const;
type CsvRow = Partial<Record<(typeof CSV_HEAD)[number][0], string>>;

const yuan = (f: number | null | undefined) => (f === null || f === undefined ? '' : formatYuan(f));
const SECTION: Record<string, [string, string]> = {
  group: ['3201 对总账', '3201 group'],
  sl01: ['SL01 对账', 'SL01'],
  discrepancy: ['差异', 'discrepancy'],
  outside: ['中心有、本系统无', 'outside shyb-pay'],
  incomplete: ['未能计入', 'incomplete'],
};

/**
 * The day close as CSV (UTF-8 with a BOM, for Excel): per 3201 group ours and (after a send) the centre's
 * answer side by side, SL01, then discrepancies, rows outside shyb-pay and orders not in the totals.
 * zh: Chinese headers and section names (the default); en: the field names.
 */
export function centreCsv(e: CentreExport, lang: CsvLang): string {
  const r = e.send?.result;
  const sec = (k: string) => SECTION[k]![lang === 'zh' ? 0 : 1];
  const rows: CsvRow[] = [];
  for (const g of e.national.groups) {
    const c = r?.national.find((n) => n.insutype === g.insutype && n.clr_type === g.clr_type && n.setl_optins === g.setl_optins);
    rows.push({
      section: sec('group'),
      route: 'NATIONAL',
      insutype: g.insutype,
      clr_type: g.clr_type,
      setl_optins: g.setl_optins,
      count: String(g.count),
      medfee: yuan(g.medfee),
      fund: yuan(g.fund),
      account: yuan(g.account),
      cash: yuan(g.cash),
      centre_result: c?.stmt_rslt ?? '',
      centre_meaning: c?.stmt_rslt_dscr ?? '',
    });
  }
  // SL01: one row per input field (V1.0.6 A.4), the centre's resultcollate on the first
  for (const [i, [item, value]] of Object.entries(e.wuqi.sl01).entries()) {
    rows.push({
      section: sec('sl01'),
      route: 'WUQI',
      item,
      value,
      ...(i === 0 ? { centre_result: r?.wuqi.resultcollate ?? '', centre_meaning: r?.wuqi.meaning ?? '' } : {}),
    });
  }
  for (const d of r?.discrepancies ?? []) {
    const ours = d.ours as { medfee?: number; fund?: number; account?: number; cash?: number } | undefined;
    rows.push({
      section: sec('discrepancy'),
      route: d.route,
      insutype: d.group?.insutype ?? '',
      clr_type: d.group?.clr_type ?? '',
      setl_optins: d.group?.setl_optins ?? '',
      orderNo: d.orderNo ?? '',
      medfee: yuan(ours?.medfee),
      fund: yuan(ours?.fund),
      account: yuan(ours?.account),
      cash: yuan(ours?.cash),
      centre_result: d.code ?? '',
      centre_meaning: d.meaning,
      centre_medfee: yuan(d.centre?.medfee),
      centre_fund: yuan(d.centre?.fund),
      centre_account: yuan(d.centre?.account),
    });
  }
  for (const o of r?.outside ?? []) {
    rows.push({
      section: sec('outside'),
      route: 'NATIONAL',
      centre_result: o.stmt_rslt,
      centre_meaning: [o.stmt_rslt_dscr, o.setlId ? `setl_id ${o.setlId}` : '', o.msgid ? `msgid ${o.msgid}` : ''].filter(Boolean).join('; '),
      centre_medfee: yuan(o.centre?.medfee),
      centre_fund: yuan(o.centre?.fund),
      centre_account: yuan(o.centre?.account),
    });
  }
  for (const i of e.incomplete) rows.push({ section: sec('incomplete'), orderNo: i.orderNo, centre_meaning: i.reason });
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = CSV_HEAD.map(([en, zh]) => (lang === 'zh' ? zh : en)).join(',');
  return CSV_BOM + [header, ...rows.map((row) => CSV_HEAD.map(([k]) => cell(row[k] ?? '')).join(','))].join('\n') + '\n';
}

export class CentreReconciliations {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
  ) {}

  private handle(date: string): WorkflowHandle<typeof centreReconciliation> {
    return this.client.workflow.getHandle(centreReconciliationWorkflowId(this.config.TEMPORAL_TASK_QUEUE, date));
  }

  /** Our day in the export shapes, with the last send result beside it when there is one. */
  async export(queries: Pick<SettlementQueries, 'viewsActiveBetween'>, date: string): Promise<CentreExport> {
    const [day, send] = await Promise.all([readCentreDay(queries, date), this.read(date)]);
    return { ...exportOf(day, this.config), ...(send ? { send } : {}) };
  }

  /** The day's last send run, or undefined when none ran. */
  async read(date: string): Promise<SendView | undefined> {
    const h = this.handle(date);
    const d = await describeRun(h);
    if (!d) return undefined;
    const workflowId = h.workflowId;
    if (d.status.name === 'COMPLETED') return { workflowId, status: 'finished', result: await h.result() };
    if (d.status.name === 'RUNNING') {
      const retrying = retryingOf(d);
      return { workflowId, status: 'running', ...(retrying ? { retrying } : {}) };
    }
    return { workflowId, status: 'failed', error: d.status.name };
  }

  /** Starts the day's run, or joins the one running (a closed one runs again); waits up to waitMs for it to end. */
  async start(date: string, waitMs = POST_WAIT_MS): Promise<{ done: boolean; view: SendView }> {
    const h = await this.client.workflow.start<typeof centreReconciliation>('centreReconciliation', {
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      workflowId: centreReconciliationWorkflowId(this.config.TEMPORAL_TASK_QUEUE, date),
      args: [{ date }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    try {
      const result = await this.client.connection.withDeadline(Date.now() + waitMs, () => h.result());
      return { done: true, view: { workflowId: h.workflowId, status: 'finished', result } };
    } catch {
      // not ended within the wait (or the run failed): the caller polls GET
      return { done: false, view: (await this.read(date)) ?? { workflowId: h.workflowId, status: 'running' } };
    }
  }
}
