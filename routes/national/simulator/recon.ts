import { randomInt } from 'node:crypto';
import { formatYuan, toFen } from '../../../protocol/money';
import {
  formatTable201,
  input3201,
  input3202,
  input9101,
  input9102,
  parseTable200,
  STMT_RSLT,
  Table201Error,
  type Table200Row,
  type Table201Row,
} from '../../../protocol/recon-national';
import { decodeFileBytes, looksLikeZip, unzipTxt, zipTxt, ZipError } from '../../../protocol/recon-files';
import { compactSeconds, formatDateTime } from '../../../protocol/shanghai-time';
import { describeZodError } from '../../../protocol/zod-helpers';
import { differenceFor } from '../../../simulator/centre';
import type { SimPlatform } from '../../../simulator/platform';
import type { SimOrder, SimResult } from '../../../simulator/sim-order';

// The centre's side of the national day close, from the simulated platform's own ledger: 3201 对总账
// (§5.3.2.1), 9101 文件上传 (§5.8.2.1), 3202 对明细账 (§5.3.2.2) and 9102 文件下载 (§5.8.2.2). The
// differences injected with /__sim/centre/differences (simulator/centre.ts) change these books as they
// change 5203: 'amount' moves medfee and cash, 'reversed' makes the settlement void (5203A vali_flag 0),
// 'missing' removes it. A settlement only the centre holds is one settled at the simulator that our
// ledger does not have (any SE02 sent straight to it).

export const RECON_INFNOS = ['3201', '3202', '9101', '9102'];

/** One record of the centre's books: a settlement, or the reverse settlement of its 2208. */
interface CentreEntry {
  orderNo: string;
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  /** medins_setl_id: the sending msgid (2207 on the SE02 route, or the 2208) */
  msgid: string;
  setlTime: string;
  insutype: string;
  clrType: string;
  clrOptins: string;
  medfee: number;
  fund: number;
  account: number;
  cash: number;
  refd: '0' | '1';
}

type Setlinfo = Record<string, string>;
const setlinfoOf = (o: SimOrder): Setlinfo | undefined =>
  o.route === 'NATIONAL' && o.status === 'PAID' && o.result && 'setlinfo' in o.result.payResponse
    ? (o.result.payResponse.setlinfo as unknown as Setlinfo)
    : undefined;

/** The centre's valid records: a settlement, and its reverse record once refunded; injected differences applied. */
function centreEntries(platform: SimPlatform): CentreEntry[] {
  const out: CentreEntry[] = [];
  for (const { orderNo } of platform.ledger().settlements) {
    const o = platform.orderByNo(orderNo);
    const s = o ? setlinfoOf(o) : undefined;
    if (!o || !s) continue;
    const d = differenceFor(platform, o);
    if (d?.kind === 'missing' || d?.kind === 'reversed') continue; // not held, or held void (vali_flag 0)
    const delta = d?.kind === 'amount' ? d.deltaFen : 0;
    const fwd: CentreEntry = {
      orderNo,
      setlId: s.setl_id!,
      mdtrtId: s.mdtrt_id!,
      psnNo: s.psn_no!,
      msgid: s.medins_setl_id ?? o.msgid,
      setlTime: s.setl_time!,
      insutype: s.insutype!,
      clrType: s.clr_type!,
      clrOptins: s.clr_optins ?? '',
      medfee: toFen(s.medfee_sumamt!) + delta,
      fund: toFen(s.fund_pay_sumamt!),
      account: toFen(s.acct_pay!),
      cash: toFen(s.psn_cash_pay!) + delta,
      refd: '0',
    };
    out.push(fwd);
    const r = o.insuranceRefund;
    if (o.insuranceRefunded && r) {
      out.push({
        ...fwd,
        setlId: r.setlId,
        msgid: r.msgid,
        setlTime: formatDateTime(r.at),
        medfee: -fwd.medfee,
        fund: -fwd.fund,
        account: -fwd.account,
        cash: -fwd.cash,
        refd: '1',
      });
    }
  }
  return out;
}

/** §4.4: a date range yyyy-MM-dd..yyyy-MM-dd matches 00:00:00 of the first to 23:59:59 of the last. */
const inRange = (e: CentreEntry, begn: string, end: string) => {
  const d = e.setlTime.slice(0, 10);
  return d >= begn && d <= end;
};
/** refd_setl_flag "0": without refund records; "1" or empty: with them. */
const withFlag = (e: CentreEntry, flag: string | undefined) => flag !== '0' || e.refd === '0';

interface StoredFile {
  filename: string;
  fixmedinsCode: string;
  bytes: Uint8Array;
  expiresAt: number;
}
const FILE_TTL_MS = 24 * 60 * 60_000;
const files = new WeakMap<SimPlatform, Map<string, StoredFile>>();
const store = (p: SimPlatform) => {
  let m = files.get(p);
  if (!m) files.set(p, (m = new Map()));
  return m;
};
let fileSeq = 0;
const fileQuryNo = (prefix: string, now: number) =>
  `${prefix}${compactSeconds(now)}${String(++fileSeq % 1e6).padStart(6, '0')}${randomInt(1000).toString().padStart(3, '0')}`;
/** The control API's reset forgets the uploaded and generated files. */
export const clearReconFiles = (p: SimPlatform) => store(p).clear();

const fail = (message: string): SimResult => ({ ok: false, message });
const y = formatYuan;

/** 3201: the centre's totals of the group over its records by setl_time; 0 平 when all four agree, else 1 不平. */
function answer3201(platform: SimPlatform, input: Record<string, unknown>): SimResult {
  const p = input3201.safeParse(input);
  if (!p.success) return fail(`入参校验失败: ${describeZodError(p.error)}`);
  const d = p.data.data;
  if (d.stmt_begndate > d.stmt_enddate) return fail('对账开始日期不能晚于结束日期');
  const mine = centreEntries(platform).filter(
    (e) =>
      e.insutype === d.insutype &&
      e.clrType === d.clr_type &&
      e.clrOptins === d.setl_optins &&
      inRange(e, d.stmt_begndate, d.stmt_enddate) &&
      withFlag(e, d.refd_setl_flag),
  );
  const c = { medfee: 0, fund: 0, account: 0, count: mine.length };
  for (const e of mine) ((c.medfee += e.medfee), (c.fund += e.fund), (c.account += e.account));
  const diffs: string[] = [];
  const cmp = (name: string, centre: number, ours: number, fmt: (n: number) => string) =>
    centre !== ours && diffs.push(`${name} 中心${fmt(centre)} 机构${fmt(ours)}`);
  cmp('医疗费总额', c.medfee, toFen(d.medfee_sumamt), y);
  cmp('基金支付总额', c.fund, toFen(d.fund_pay_sumamt), y);
  cmp('个人账户支付金额', c.account, toFen(d.acct_pay), y);
  cmp('结算笔数', c.count, d.fixmedins_setl_cnt, String);
  const rslt = diffs.length === 0 ? '0' : '1';
  return {
    ok: true,
    output: {
      stmtinfo: {
        setl_optins: d.setl_optins,
        stmt_rslt: rslt,
        stmt_rslt_dscr: diffs.length === 0 ? STMT_RSLT['0'] : `${STMT_RSLT['1']}: ${diffs.join('; ')}`,
        exp_content: '',
      },
    },
  };
}

/** 9101: the zip is kept for 3202 under a new 文件查询号 (表416, no node). */
function answer9101(platform: SimPlatform, input: Record<string, unknown>, now: number): SimResult {
  const p = input9101.safeParse(input);
  if (!p.success) return fail(`入参校验失败: ${describeZodError(p.error)}`);
  const f = p.data.fsUploadIn;
  let bytes: Uint8Array;
  try {
    bytes = decodeFileBytes(f.in);
  } catch {
    return fail('文件数据(in)无法解析');
  }
  if (!looksLikeZip(bytes)) return fail('输入文件须为TXT文件的ZIP压缩包(9101重点说明2)');
  const no = fileQuryNo('U', now);
  store(platform).set(no, { filename: f.filename, fixmedinsCode: f.fixmedins_code, bytes, expiresAt: now + FILE_TTL_MS });
  return { ok: true, output: { file_qury_no: no, filename: f.filename, fixmedins_code: f.fixmedins_code, dld_endtime: formatDateTime(now + FILE_TTL_MS) } };
}

const row201 = (
  e: { psnNo: string; mdtrtId: string; setlId: string; msgid: string },
  rslt: string,
  refd: string,
  memo: string,
  amounts: { medfee: number; fund: number; account: number } | null,
): Table201Row => ({
  psn_no: e.psnNo,
  mdtrt_id: e.mdtrtId,
  setl_id: e.setlId,
  msgid: e.msgid,
  stmt_rslt: rslt,
  refd_setl_flag: refd,
  memo,
  medfee_sumamt: amounts?.medfee ?? null,
  fund_pay_sumamt: amounts?.fund ?? null,
  acct_pay: amounts?.account ?? null,
  exp_content: '',
});

/**
 * The detail comparison of 3202: every row of the file against the centre's records of the scope
 * (setl_optins, clr_type, dates, refd_setl_flag), matched by setl_id and refd_setl_flag. 表201 gets one
 * row per detail compared, each with its stmt_rslt (0 平 too: the column is per row and 0 is in the
 * dictionary): 103 数据不一致 with the centre's amounts, 102 医药机构多 for a row the centre does not hold
 * (void or unknown), 101 中心多 for a centre record missing from the file. Item 7: where the centre holds
 * several records of one 就诊 that the file lacks, those rows leave setl_id and mdtrt_id empty.
 */
function compare(
  platform: SimPlatform,
  rows: Table200Row[],
  scope: { setl_optins: string; clr_type: string; begn: string; end: string; flag: string },
): Table201Row[] {
  const centre = centreEntries(platform).filter(
    (e) => e.clrType === scope.clr_type && e.clrOptins === scope.setl_optins && inRange(e, scope.begn, scope.end) && withFlag(e, scope.flag),
  );
  const key = (setlId: string, refd: string) => `${setlId}\u0000${refd}`;
  const byKey = new Map(centre.map((e) => [key(e.setlId, e.refd), e]));
  const seen = new Set<string>();
  const out: Table201Row[] = [];
  for (const r of rows) {
    const k = key(r.setl_id, r.refd_setl_flag);
    const e = byKey.get(k);
    if (!e) {
      const o = platform.findBySetlId(r.setl_id.replace(/T$/, ''));
      const reversed = o && differenceFor(platform, o)?.kind === 'reversed';
      const msgid = reversed ? (r.refd_setl_flag === '1' ? (o.insuranceRefund?.msgid ?? '') : o.msgid) : '';
      out.push(
        row201(
          { psnNo: r.psn_no, mdtrtId: r.mdtrt_id, setlId: r.setl_id, msgid },
          '102',
          r.refd_setl_flag,
          reversed ? '中心该结算已冲正(无效)' : '中心无此结算记录',
          null,
        ),
      );
      continue;
    }
    seen.add(k);
    const same = e.medfee === r.medfee_sumamt && e.fund === r.fund_pay_sumamt && e.account === r.acct_pay;
    out.push(row201(e, same ? '0' : '103', e.refd, same ? '' : '金额不一致', e));
  }
  const extra = centre.filter((e) => !seen.has(key(e.setlId, e.refd)));
  const perVisit = new Map<string, number>();
  for (const e of extra) perVisit.set(`${e.psnNo}\u0000${e.mdtrtId}`, (perVisit.get(`${e.psnNo}\u0000${e.mdtrtId}`) ?? 0) + 1);
  for (const e of extra) {
    const several = (perVisit.get(`${e.psnNo}\u0000${e.mdtrtId}`) ?? 0) > 1;
    out.push(row201(several ? { ...e, setlId: '', mdtrtId: '' } : e, '101', e.refd, '机构无此结算记录', e));
  }
  return out;
}

/** 3202: reads the uploaded 表200, compares, and keeps 表201 (zipped) for 9102 under a new 文件查询号 (表199 fileinfo). */
function answer3202(platform: SimPlatform, input: Record<string, unknown>, now: number): SimResult {
  const p = input3202.safeParse(input);
  if (!p.success) return fail(`入参校验失败: ${describeZodError(p.error)}`);
  const d = p.data.data;
  const up = store(platform).get(d.file_qury_no);
  if (!up || up.expiresAt < now) return fail('文件查询号不存在或文件已过期');
  let rows: Table200Row[];
  try {
    const txts = unzipTxt(up.bytes);
    if (txts.length !== 1) return fail(`压缩包须含一个TXT文件，实有${txts.length}个`);
    rows = parseTable200(txts[0]!.text);
  } catch (err) {
    if (err instanceof ZipError || err instanceof Table201Error) return fail(`明细文件无法解析: ${err.message}`);
    throw err;
  }
  // the totals of the input are the file's (3202 compares both): a mismatch is the hospital's error
  const sum = rows.reduce((a, r) => ({ medfee: a.medfee + r.medfee_sumamt, fund: a.fund + r.fund_pay_sumamt }), { medfee: 0, fund: 0 });
  if (sum.medfee !== toFen(d.medfee_sumamt) || sum.fund !== toFen(d.fund_pay_sumamt) || rows.length !== d.fixmedins_setl_cnt) {
    return fail(`对账汇总与明细文件不一致: 文件${rows.length}笔 医疗费总额${y(sum.medfee)} 基金支付总额${y(sum.fund)}`);
  }
  const result = compare(platform, rows, {
    setl_optins: d.setl_optins,
    clr_type: d.clr_type,
    begn: d.stmt_begndate,
    end: d.stmt_enddate,
    flag: d.refd_setl_flag,
  });
  const no = fileQuryNo('D', now);
  const filename = `${no}.zip`;
  store(platform).set(no, { filename, fixmedinsCode: up.fixmedinsCode, bytes: zipTxt(`${no}.txt`, formatTable201(result)), expiresAt: now + FILE_TTL_MS });
  return { ok: true, output: { fileinfo: { file_qury_no: no, filename, dld_endtime: formatDateTime(now + FILE_TTL_MS) } } };
}

/** 9102: the file's zip (the reply is the file itself, §5.8.2.2.5 "输出：无"), or a refusal. */
export function answer9102(platform: SimPlatform, input: Record<string, unknown>, now: number): SimResult<Uint8Array> {
  const p = input9102.safeParse(input);
  if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
  const d = p.data.fsDownloadIn;
  const f = store(platform).get(d.file_qury_no);
  if (!f || f.filename !== d.filename) return { ok: false, message: '文件不存在' };
  if (f.expiresAt < now) return { ok: false, message: '文件已过下载截止时间' };
  return { ok: true, output: f.bytes };
}

/** 3201 / 9101 / 3202, or undefined for any other infno (9102 answers a file: answer9102). */
export function handleReconNational(platform: SimPlatform, infno: string, input: Record<string, unknown>, now: number): SimResult | undefined {
  if (infno === '3201') return answer3201(platform, input);
  if (infno === '9101') return answer9101(platform, input, now);
  if (infno === '3202') return answer3202(platform, input, now);
  return undefined;
}
