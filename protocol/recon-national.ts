import { z } from 'zod';
import { formatYuan, isAmount, toFen } from './money';
import { dateTime, nonEmpty, str } from './zod-helpers';

// The hospital's national day close (issue 18 item 4, national §5.3.2, Shanghai guide §4.11):
//  - 【3201】对总账 (§5.3.2.1: input 表196, output 表197 stmtinfo), one call per (insutype, clr_type, setl_optins);
//  - when the totals differ, 【3202】对明细账 (§5.3.2.2: input 表198, output 表199 fileinfo) over a 表200 TXT
//    file uploaded with 【9101】 (§5.8.2.1), and the 表201 TXT result downloaded with 【9102】 (§5.8.2.2).
// Pure and workflow-safe: no I/O, no clock. Amounts are integer fen; the messages carry yuan text.
// The readings this rests on are in docs (spec readings, "3201/3202"); each is named where it is applied.

/** One of our settlements or refunds of the day, from our ledger. */
export interface ReconOrder {
  orderNo: string;
  kind: 'settlement' | 'refund';
  /** The centre's setl_id. A refund: the 2208 output's setl_id (表122 #2, the reverse settlement's own), else the original's. */
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  /** medins_setl_id of the 2207/2208 output (表116/表122: "存放发送方报文ID"). */
  medinsSetlId?: string;
  /** Our msgid of the call that settled or refunded (SE02 / 2208). */
  msgid?: string;
  /** The centre's setl_time, 'yyyy-MM-dd HH:mm:ss' (Asia/Shanghai). */
  setlTime: string;
  /** setlinfo insutype, clr_type, clr_optins of the stored payResponse. */
  insutype: string;
  clrType: string;
  clrOptins: string;
  /** Integer fen; a refund's are negative. */
  medfeeFen: number;
  fundFen: number;
  accountFen: number;
  cashFen: number;
}

/** Our totals of one 3201 group, in fen. count is fixmedins_setl_cnt: every record, a refund record too. */
export interface GroupTotals {
  insutype: string;
  clr_type: string;
  setl_optins: string;
  count: number;
  medfee: number;
  fund: number;
  account: number;
  cash: number;
}

export interface ReconDay {
  /** yyyy-MM-dd */
  stmtBegndate: string;
  /** yyyy-MM-dd */
  stmtEnddate: string;
}

// ---- dictionaries (national 第6章) ----

/** stmt_rslt 对账结果. Which codes 3201 and 表201 use is not said; any other code is kept and shown as unknown. */
export const STMT_RSLT: Readonly<Record<string, string>> = { '0': '平', '1': '不平', '101': '中心多', '102': '医药机构多', '103': '数据不一致' };
/** refd_setl_flag 退费结算标志: 0 否, 1 是. */
export const REFD_SETL_FLAG = { no: '0', yes: '1' } as const;

/** Only the dictionary's 0 平 is balanced: an unknown or empty code never is. */
export const isBalanced = (stmtRslt: string): boolean => stmtRslt === '0';

/** The dictionary's meaning, or a text that says the code is not in it. */
export function stmtRsltMeaning(code: string): string {
  return Object.prototype.hasOwnProperty.call(STMT_RSLT, code) ? STMT_RSLT[code]! : `未知对账结果代码(unknown stmt_rslt) "${code}"`;
}

// ---- the day and the groups ----

/** The records of the day by the centre's setl_time (§5.3.2.1.2 item 2: "以医保结算返回的结算时间作为依据"). */
export function ordersOnDay(orders: ReconOrder[], date: string): ReconOrder[] {
  return orders.filter((o) => o.setlTime.slice(0, 10) === date);
}

const groupKey = (insutype: string, clrType: string, optins: string) => `${insutype}\u0000${clrType}\u0000${optins}`;

/**
 * 3201 groups: (insutype, clr_type, setl_optins), setl_optins read from the settlement's clr_optins (no
 * settlement output has a setl_optins; 清算经办机构 is the agency that settles it). Sums are signed: a
 * refund record subtracts; count counts every record, a refund too (§5.3.2.2.2 item 2 and §5.2.3.12.2
 * item 2: the 撤销 is a reverse settlement of its own). Sorted by key, so the same day gives the same list.
 */
export function group3201(orders: ReconOrder[]): GroupTotals[] {
  const groups = new Map<string, GroupTotals>();
  for (const o of orders) {
    const k = groupKey(o.insutype, o.clrType, o.clrOptins);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { insutype: o.insutype, clr_type: o.clrType, setl_optins: o.clrOptins, count: 0, medfee: 0, fund: 0, account: 0, cash: 0 }));
    g.count += 1;
    g.medfee += o.medfeeFen;
    g.fund += o.fundFen;
    g.account += o.accountFen;
    g.cash += o.cashFen;
  }
  return [...groups.values()].sort((a, b) => (groupKey(a.insutype, a.clr_type, a.setl_optins) < groupKey(b.insutype, b.clr_type, b.setl_optins) ? -1 : 1));
}

/**
 * 3201 needs insutype, clr_type and setl_optins (表196 #1-3, all required). A group where one is empty (the
 * settlement output did not carry it: clr_optins is optional in 表116) cannot be asked about: it is reported
 * as not sent, never guessed at (a wrong setl_optins would compare our orders with another agency's books).
 */
export function missingGroupKey(g: Pick<GroupTotals, 'insutype' | 'clr_type' | 'setl_optins'>): string | undefined {
  const missing = (['insutype', 'clr_type', 'setl_optins'] as const).filter((k) => g[k] === '');
  return missing.length
    ? `not sent: the settlement output has no ${missing.join(', ')}${missing.includes('setl_optins') ? ' (read from clr_optins)' : ''}`
    : undefined;
}

/** The orders of one group. */
export function ordersOfGroup(orders: ReconOrder[], g: Pick<GroupTotals, 'insutype' | 'clr_type' | 'setl_optins'>): ReconOrder[] {
  return orders.filter((o) => o.insutype === g.insutype && o.clrType === g.clr_type && o.clrOptins === g.setl_optins);
}

/**
 * 3202's scope: 表198 has setl_optins and clr_type but no insutype, so the centre compares the file with all
 * its records of that agency and clearing type. The file and 3202's totals therefore hold every insutype
 * of the (setl_optins, clr_type), or the other insutypes' records would come back as 中心多.
 */
export function ordersOfScope(orders: ReconOrder[], scope: { clr_type: string; setl_optins: string }): ReconOrder[] {
  return orders.filter((o) => o.clrType === scope.clr_type && o.clrOptins === scope.setl_optins);
}

/**
 * refd_setl_flag as we send it: "1" in 3201 (表196 #10, optional) and 3202 (表198 #10, required). Reading:
 * the flag says whether the totals include refund (reverse) records, and ours always do (signed sums, every
 * record counted). "0" would let a centre that reads it as "without refunds" leave out a refund record we
 * never recorded, so a difference would go unseen; "only refunds" is ruled out by 3202, whose one required
 * flag covers a file that must hold a refund's two rows (§5.3.2.2.2 item 2).
 */
export const REFD_SETL_FLAG_SENT = '1';

// ---- 3201 ----

const money = z.string().refine((v) => isAmount(v), 'must be an amount with at most 2 decimals');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd');

/** 表196 (节点标识 data). */
export const input3201 = z
  .object({
    data: z
      .object({
        insutype: nonEmpty(6),
        clr_type: nonEmpty(6),
        setl_optins: nonEmpty(6),
        stmt_begndate: date,
        stmt_enddate: date,
        medfee_sumamt: money,
        fund_pay_sumamt: money,
        acct_pay: money,
        fixmedins_setl_cnt: z.number().int().min(0).max(9_999_999_999),
        refd_setl_flag: str(6).optional(),
        exp_content: str(4000).optional(),
      })
      .strict(),
  })
  .strict();
export type Input3201 = z.infer<typeof input3201>;

/** 表197 (节点标识 stmtinfo). stmt_rslt is kept as answered (a number is read as its text). */
export const output3201 = z
  .object({
    stmtinfo: z
      .object({
        setl_optins: z.string().nullish(),
        stmt_rslt: z.union([z.string(), z.number()]).transform(String),
        stmt_rslt_dscr: z.string().nullish(),
        exp_content: z.unknown().optional(),
      })
      .passthrough(),
  })
  .passthrough();

/** The 3201 input of one group for the day, yuan text from fen. */
export function build3201Input(g: GroupTotals, day: ReconDay): Input3201 {
  return {
    data: {
      insutype: g.insutype,
      clr_type: g.clr_type,
      setl_optins: g.setl_optins,
      stmt_begndate: day.stmtBegndate,
      stmt_enddate: day.stmtEnddate,
      medfee_sumamt: formatYuan(g.medfee),
      fund_pay_sumamt: formatYuan(g.fund),
      acct_pay: formatYuan(g.account),
      fixmedins_setl_cnt: g.count,
      refd_setl_flag: REFD_SETL_FLAG_SENT,
    },
  };
}

// ---- 表200 (3202 输入文件) ----

/** §4.4: "TXT 文件中空值使用“null”". */
export const TXT_NULL = 'null';
const cell = (v: string | undefined) => (v === undefined || v === '' ? TXT_NULL : v.replace(/[\t\r\n]/g, ' '));

/** 表200 column order: setl_id, mdtrt_id, psn_no, medfee_sumamt, fund_pay_sumamt, acct_pay, refd_setl_flag, exp_content. */
export const TABLE200_COLUMNS = ['setl_id', 'mdtrt_id', 'psn_no', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'refd_setl_flag', 'exp_content'] as const;

/**
 * 表200 TXT: one TAB-separated row per record (§5.3.2.2.2 item 3), in 表200's order, lines ended by \n.
 * A settlement is its positive row (refd_setl_flag 0); a refund its negative row (refd_setl_flag 1).
 * A refund of the day whose settlement is of the day too therefore gives both rows (item 2: "如果是退费的
 * 数据，需传入正向和反向两条数据"); a settlement of an earlier day is not in this day's file (item 6: the
 * file matches the date range by setl_time). Rows by setl_time, then setl_id, forward row first.
 */
export function buildTable200(orders: ReconOrder[]): string {
  const sorted = [...orders].sort((a, b) =>
    a.setlTime !== b.setlTime
      ? a.setlTime < b.setlTime
        ? -1
        : 1
      : a.setlId !== b.setlId
        ? a.setlId < b.setlId
          ? -1
          : 1
        : a.kind === b.kind
          ? 0
          : a.kind === 'settlement'
            ? -1
            : 1,
  );
  return sorted
    .map((o) =>
      [
        o.setlId,
        o.mdtrtId,
        o.psnNo,
        formatYuan(o.medfeeFen),
        formatYuan(o.fundFen),
        formatYuan(o.accountFen),
        o.kind === 'refund' ? REFD_SETL_FLAG.yes : REFD_SETL_FLAG.no,
        undefined,
      ]
        .map(cell)
        .join('\t'),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** One 表200 row as read back (the simulator's side), amounts in fen. */
export interface Table200Row {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  medfee_sumamt: number;
  fund_pay_sumamt: number;
  acct_pay: number;
  refd_setl_flag: string;
  exp_content: string;
}

/** 表200 TXT back into rows; a row that is not 表200's shape is an error naming its line. */
export function parseTable200(txt: string): Table200Row[] {
  const rows: Table200Row[] = [];
  txt
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      const c = raw.split('\t');
      const n = i + 1;
      if (c.length < TABLE200_COLUMNS.length - 1 || c.length > TABLE200_COLUMNS.length)
        throw new Table201Error(`表200 line ${n}: ${c.length} columns, expected ${TABLE200_COLUMNS.length}`);
      const need = (k: number, name: string) => {
        const v = text(c[k]);
        if (!v) throw new Table201Error(`表200 line ${n}: ${name} is empty`);
        return v;
      };
      const fen = (k: number, name: string) => {
        const v = fenOrNull(c[k], n, name);
        if (v === null) throw new Table201Error(`表200 line ${n}: ${name} is empty`);
        return v;
      };
      rows.push({
        setl_id: need(0, 'setl_id'),
        mdtrt_id: need(1, 'mdtrt_id'),
        psn_no: need(2, 'psn_no'),
        medfee_sumamt: fen(3, 'medfee_sumamt'),
        fund_pay_sumamt: fen(4, 'fund_pay_sumamt'),
        acct_pay: fen(5, 'acct_pay'),
        refd_setl_flag: need(6, 'refd_setl_flag'),
        exp_content: text(c[7]),
      });
    });
  return rows;
}

/** The 表200 file's name inside the zip and for 9101 (filename 字符型 200): ours, dated, per scope. */
export function table200FileName(fixmedinsCode: string, scope: { clr_type: string; setl_optins: string }, day: ReconDay): string {
  return `${fixmedinsCode}_${scope.setl_optins}_${scope.clr_type}_${day.stmtBegndate.replace(/-/g, '')}_${day.stmtEnddate.replace(/-/g, '')}.txt`;
}

// ---- 3202 ----

/** 表198 (节点标识 data): rows 1-10 required (the extract's reading of the misaligned table). */
export const input3202 = z
  .object({
    data: z
      .object({
        setl_optins: nonEmpty(6),
        file_qury_no: nonEmpty(30),
        stmt_begndate: date,
        stmt_enddate: date,
        medfee_sumamt: money,
        fund_pay_sumamt: money,
        cash_payamt: money,
        fixmedins_setl_cnt: z.number().int().min(0).max(9_999_999_999),
        clr_type: nonEmpty(6),
        refd_setl_flag: nonEmpty(3),
        exp_content: str(4000).optional(),
      })
      .strict(),
  })
  .strict();
export type Input3202 = z.infer<typeof input3202>;

/** 表199 (节点标识 fileinfo). */
export const output3202 = z
  .object({
    fileinfo: z.object({ file_qury_no: nonEmpty(30), filename: nonEmpty(200), dld_endtime: z.string().nullish() }).passthrough(),
  })
  .passthrough();

/** The 3202 input over the file's records (the totals are the file's sums: the centre compares the two). */
export function build3202Input(scopeTotals: GroupTotals, fileQuryNo: string, day: ReconDay): Input3202 {
  return {
    data: {
      setl_optins: scopeTotals.setl_optins,
      file_qury_no: fileQuryNo,
      stmt_begndate: day.stmtBegndate,
      stmt_enddate: day.stmtEnddate,
      medfee_sumamt: formatYuan(scopeTotals.medfee),
      fund_pay_sumamt: formatYuan(scopeTotals.fund),
      cash_payamt: formatYuan(scopeTotals.cash),
      fixmedins_setl_cnt: scopeTotals.count,
      clr_type: scopeTotals.clr_type,
      refd_setl_flag: REFD_SETL_FLAG_SENT,
    },
  };
}

/** Totals of a 3202 scope (all insutypes of one setl_optins and clr_type); insutype is "" there. */
export function scopeTotals(orders: ReconOrder[], scope: { clr_type: string; setl_optins: string }): GroupTotals {
  const mine = ordersOfScope(orders, scope).map((o) => ({ ...o, insutype: '' }));
  return group3201(mine)[0] ?? { insutype: '', clr_type: scope.clr_type, setl_optins: scope.setl_optins, count: 0, medfee: 0, fund: 0, account: 0, cash: 0 };
}

// ---- 9101 / 9102 ----

/** 表415 (节点标识 fsUploadIn): `in` is 字节数组; how it travels in JSON is not specified (RECON_FILE_ENCODING, protocol/recon-files.ts). */
export const input9101 = z
  .object({
    fsUploadIn: z
      .object({
        in: z.union([z.string().min(1), z.array(z.number().int().min(-128).max(255)).min(1)]),
        filename: nonEmpty(200),
        fixmedins_code: nonEmpty(30),
      })
      .strict(),
  })
  .strict();

/** 表416 (节点标识 无节点: the fields are directly under output). */
export const output9101 = z
  .object({ file_qury_no: nonEmpty(30), filename: z.string().nullish(), fixmedins_code: z.string().nullish(), dld_endtime: z.string().nullish() })
  .passthrough();

/** 表417 (节点标识 fsDownloadIn). */
export const input9102 = z
  .object({ fsDownloadIn: z.object({ file_qury_no: nonEmpty(30), filename: nonEmpty(200), fixmedins_code: nonEmpty(30) }).strict() })
  .strict();

// ---- 表201 (3202 输出文件) ----

export const TABLE201_COLUMNS = [
  'psn_no',
  'mdtrt_id',
  'setl_id',
  'msgid',
  'stmt_rslt',
  'refd_setl_flag',
  'memo',
  'medfee_sumamt',
  'fund_pay_sumamt',
  'acct_pay',
  'exp_content',
] as const;

/** One 表201 row; amounts in fen, null when the centre left them empty. */
export interface Table201Row {
  psn_no: string;
  mdtrt_id: string;
  setl_id: string;
  msgid: string;
  stmt_rslt: string;
  refd_setl_flag: string;
  memo: string;
  medfee_sumamt: number | null;
  fund_pay_sumamt: number | null;
  acct_pay: number | null;
  exp_content: string;
}

export class Table201Error extends Error {
  override name = 'Table201Error';
}

const text = (v: string | undefined) => (v === undefined || v === TXT_NULL ? '' : v.trim());
function fenOrNull(v: string | undefined, line: number, column: string): number | null {
  const t = text(v);
  if (t === '') return null;
  try {
    return toFen(t);
  } catch {
    throw new Table201Error(`表201 line ${line}: ${column} is not an amount: ${JSON.stringify(t.slice(0, 40))}`);
  }
}

/**
 * 表201 TXT: TAB-separated, 11 columns in table order (a missing trailing exp_content is allowed), "null"
 * for an empty value, \n or \r\n; blank lines skipped. A row without psn_no or stmt_rslt (是否非空 Y) or
 * with a bad amount is an error: the file cannot be read as the spec says, and it is not guessed at.
 */
export function parseTable201(txt: string): Table201Row[] {
  const rows: Table201Row[] = [];
  const lines = txt.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const n = i + 1;
    const c = raw.split('\t');
    if (c.length < TABLE201_COLUMNS.length - 1 || c.length > TABLE201_COLUMNS.length)
      throw new Table201Error(`表201 line ${n}: ${c.length} columns, expected ${TABLE201_COLUMNS.length}`);
    const row: Table201Row = {
      psn_no: text(c[0]),
      mdtrt_id: text(c[1]),
      setl_id: text(c[2]),
      msgid: text(c[3]),
      stmt_rslt: text(c[4]),
      refd_setl_flag: text(c[5]),
      memo: text(c[6]),
      medfee_sumamt: fenOrNull(c[7], n, 'medfee_sumamt'),
      fund_pay_sumamt: fenOrNull(c[8], n, 'fund_pay_sumamt'),
      acct_pay: fenOrNull(c[9], n, 'acct_pay'),
      exp_content: text(c[10]),
    };
    if (!row.stmt_rslt) throw new Table201Error(`表201 line ${n}: stmt_rslt is empty`);
    rows.push(row);
  });
  return rows;
}

/** The simulator's side: 表201 rows as TXT (amounts in yuan, "null" for empty). */
export function formatTable201(rows: Table201Row[]): string {
  const amt = (f: number | null) => (f === null ? undefined : formatYuan(f));
  return rows
    .map(
      (r) =>
        [
          r.psn_no,
          r.mdtrt_id,
          r.setl_id,
          r.msgid,
          r.stmt_rslt,
          r.refd_setl_flag,
          r.memo,
          amt(r.medfee_sumamt),
          amt(r.fund_pay_sumamt),
          amt(r.acct_pay),
          r.exp_content,
        ]
          .map(cell)
          .join('\t') + '\n',
    )
    .join('');
}

// ---- matching 表201 to our orders ----

export interface NationalDetail {
  /** Ours: the order behind the row; absent for a row outside shyb-pay. */
  orderNo?: string;
  kind?: ReconOrder['kind'];
  /** The row matches none of our orders of the day: "outside shyb-pay" (a counter settlement, or one we never recorded). */
  outside: boolean;
  matchedBy?: 'setl_id' | 'msgid';
  setlId: string;
  mdtrtId: string;
  /** 表201 psn_no masked as every view masks it: the last 4 characters only. */
  psnNo: string;
  msgid: string;
  stmt_rslt: string;
  stmt_rslt_dscr: string;
  refd_setl_flag: string;
  memo: string;
  /** The centre's amounts in fen as 表201 gives them (null: empty). */
  centre: { medfee: number | null; fund: number | null; account: number | null };
  /** Our amounts in fen for the matched order. */
  ours?: { medfee: number; fund: number; account: number; cash: number };
}

/** psn_no as the views show it (api/order-view.ts maskTail): the last 4 characters only. */
export const maskPsnNo = (v: string): string => (v.length <= 4 ? '*'.repeat(v.length) : '*'.repeat(v.length - 4) + v.slice(-4));

/** Several candidates: the one whose kind agrees with the row's refd_setl_flag (1: the refund record). */
function pick(cands: ReconOrder[], flag: string): ReconOrder | undefined {
  if (cands.length <= 1) return cands[0];
  const want = flag === REFD_SETL_FLAG.yes ? 'refund' : flag === REFD_SETL_FLAG.no ? 'settlement' : undefined;
  return cands.find((o) => o.kind === want) ?? cands[0];
}

/**
 * Each 表201 row to our order: by setl_id; when the centre left it empty (§5.3.2.2.2 item 7: "中心端有多条
 * 明细，返回结算ID,就诊ID为空"), by 表201 msgid ("发送方报文ID") against the order's medins_setl_id (the
 * 2207/2208 output's "存放发送方报文ID"), then against our own msgid. A settlement and its refund may share
 * an id: refd_setl_flag tells them apart. No match: outside shyb-pay.
 */
export function matchTable201(rows: Table201Row[], orders: ReconOrder[]): { matched: NationalDetail[]; outside: NationalDetail[] } {
  const matched: NationalDetail[] = [];
  const outside: NationalDetail[] = [];
  for (const r of rows) {
    let by: NationalDetail['matchedBy'];
    let o: ReconOrder | undefined;
    if (r.setl_id) {
      o = pick(
        orders.filter((x) => x.setlId === r.setl_id),
        r.refd_setl_flag,
      );
      if (o) by = 'setl_id';
    }
    if (!o && r.msgid) {
      o =
        pick(
          orders.filter((x) => x.medinsSetlId === r.msgid),
          r.refd_setl_flag,
        ) ??
        pick(
          orders.filter((x) => x.msgid === r.msgid),
          r.refd_setl_flag,
        );
      if (o) by = 'msgid';
    }
    const base = {
      setlId: r.setl_id,
      mdtrtId: r.mdtrt_id,
      psnNo: maskPsnNo(r.psn_no),
      msgid: r.msgid,
      stmt_rslt: r.stmt_rslt,
      stmt_rslt_dscr: stmtRsltMeaning(r.stmt_rslt),
      refd_setl_flag: r.refd_setl_flag,
      memo: r.memo,
      centre: { medfee: r.medfee_sumamt, fund: r.fund_pay_sumamt, account: r.acct_pay },
    };
    if (o)
      matched.push({
        orderNo: o.orderNo,
        kind: o.kind,
        outside: false,
        matchedBy: by,
        ...base,
        ours: { medfee: o.medfeeFen, fund: o.fundFen, account: o.accountFen, cash: o.cashFen },
      });
    else outside.push({ outside: true, ...base });
  }
  return { matched, outside };
}

/** A ReconOrder as the schema the activity input is checked with (amounts integer fen). */
export const reconOrder = z.object({
  orderNo: nonEmpty(64),
  kind: z.enum(['settlement', 'refund']),
  setlId: nonEmpty(30),
  mdtrtId: nonEmpty(30),
  psnNo: nonEmpty(30),
  medinsSetlId: str(30).optional(),
  msgid: str(30).optional(),
  setlTime: dateTime,
  // empty when the stored output lacks them (clr_optins is not 非空 in 表116): such a group is not sent (missingGroupKey)
  insutype: str(6),
  clrType: str(6),
  clrOptins: str(6),
  medfeeFen: z.number().int(),
  fundFen: z.number().int(),
  accountFen: z.number().int(),
  cashFen: z.number().int(),
});

// What the day close (routes/national/day-close.ts) answers per 3201 group.

export interface Asked {
  infno: '3201' | '9101' | '3202' | '9102';
  msgid: string;
  /** ISO time the call was sent */
  at: string;
}

/** One 3201 group's result, and when it did not balance, the 3202 details of its scope. Amounts in fen. */
export interface NationalReconResult {
  insutype: string;
  clr_type: string;
  setl_optins: string;
  ours: { count: number; medfee: number; fund: number; account: number; cash: number };
  /** As the centre answered (表197); "" when 3201 was refused. Only "0" is balanced. */
  stmt_rslt: string;
  /** The centre's stmt_rslt_dscr, or the dictionary's meaning when it gave none. */
  stmt_rslt_dscr: string;
  /** The stmt_rslt dictionary's meaning; an unknown code says it is unknown. */
  stmt_rslt_meaning: string;
  balanced: boolean;
  asked: Asked[];
  /** The group was not asked about: a key field (insutype, clr_type, setl_optins) is unknown (missingGroupKey). */
  notSent?: string;
  /** 3201, 9101, 3202 or 9102 refused (infcode ≠ 0): the day is not reconciled; the message is the centre's. */
  refused?: { infno: Asked['infno']; code: string; message: string };
  /** 3202's scope (表198 has no insutype: every insutype of the setl_optins and clr_type) and its files. */
  detail?: {
    setl_optins: string;
    clr_type: string;
    uploaded: { file_qury_no: string; filename: string; rows: number };
    result?: { file_qury_no: string; filename: string; rows: number; balancedRows: number };
  };
  /** 表201 rows whose stmt_rslt is not 0, each with the order behind it, or outside: true. */
  details?: NationalDetail[];
  /** 表201 could not be read as the spec says (bad zip, columns, amounts): the details are unknown. */
  detailsProblem?: string;
}
