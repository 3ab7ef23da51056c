// The centre's record of one settlement, one function per route: national 5203 / 5203A through the platform
// client's national(), 五期 SI91 through its wuqi(). Each returns a route-neutral answer (protocol/centre-record.ts)
// with what was asked: never throws for the centre's answer, and never changes anything.
import { InvalidRequestError, type CallOutcome, type PlatformClient } from '../platform/client';
import { query5203AInput, query5203AOutput, query5203Input, query5203Output, si91Input, si91Output } from '../protocol/centre-query';
import { recordFrom5203, recordFrom5203A, recordFromSi91, type CentreQuery, type CentreRecord } from '../protocol/centre-record';
import type { Operator } from '../protocol/national-header';
import { readQueryRefusal } from '../protocol/refusals';
import { isTokenRefusal } from '../protocol/wuqi-codes';
import { describeZodError } from '../protocol/zod-helpers';
import { wuqiOperator } from './wuqi-activities';

export interface Asked {
  infno?: '5203' | '5203A';
  xxlxm?: 'SI91';
  msgid: string;
  /** ISO time the question was sent */
  at: string;
}

export type CentreAnswer =
  | { kind: 'answered'; asked: Asked; found: true; record: CentreRecord }
  | { kind: 'answered'; asked: Asked; found: false; record: null; message: string }
  /** a refusal that is not "not found": nothing to compare (tokenRefused: SI91 refused the 令牌) */
  | { kind: 'refused'; asked: Asked; code: string; message: string; tokenRefused: boolean }
  /** no answer: timeout, HTTP error, malformed reply */
  | { kind: 'unknown'; asked: Asked; reason: string };

function check(what: string, schema: { safeParse(v: unknown): { success: boolean; error?: import('zod').ZodError } }, input: unknown): void {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidRequestError(`refusing to send invalid ${what} input: ${describeZodError(r.error!)}`);
}

function notAnswered(asked: Asked, o: Exclude<CallOutcome<unknown>, { kind: 'ok' }>, route: 'NATIONAL' | 'WUQI'): CentreAnswer {
  if (o.kind === 'unknown') return { kind: 'unknown', asked, reason: o.reason };
  const message = `${o.code} ${o.message}`.trim();
  if (readQueryRefusal(route, o) === 'notFound') return { kind: 'answered', asked, found: false, record: null, message };
  return { kind: 'refused', asked, code: o.code, message, tokenRefused: route === 'WUQI' && isTokenRefusal(o.code, o.message) };
}

/** 5203 结算信息查询 (§5.5.2.3) by psn_no, setl_id, mdtrt_id; insuplc_admdvs in the header (the input has psn_no). */
export async function askNational5203(client: PlatformClient, q: Extract<CentreQuery, { infno: '5203' }>, operator: Operator): Promise<CentreAnswer> {
  check('5203', query5203Input, q.input);
  const at = new Date().toISOString();
  const r = await client.national({ infno: '5203', input: q.input, operator, insuplcAdmdvs: q.insuplcAdmdvs, outputSchema: query5203Output });
  const asked: Asked = { infno: '5203', msgid: r.msgid, at };
  if (r.kind !== 'ok') return notAnswered(asked, r, 'NATIONAL');
  return { kind: 'answered', asked, found: true, record: recordFrom5203(r.output.setlinfo) };
}

/** 5203A (§5.5.2.4) by medins_setl_id: a list; an empty list is "not found". */
export async function askNational5203A(client: PlatformClient, q: Extract<CentreQuery, { infno: '5203A' }>, operator: Operator, setlId?: string): Promise<CentreAnswer> {
  check('5203A', query5203AInput, q.input);
  const at = new Date().toISOString();
  const r = await client.national({ infno: '5203A', input: q.input, operator, insuplcAdmdvs: q.insuplcAdmdvs, outputSchema: query5203AOutput });
  const asked: Asked = { infno: '5203A', msgid: r.msgid, at };
  if (r.kind !== 'ok') return notAnswered(asked, r, 'NATIONAL');
  const record = recordFrom5203A(r.output, setlId);
  return record ? { kind: 'answered', asked, found: true, record } : { kind: 'answered', asked, found: false, record: null, message: '5203A answered no record' };
}

/** SI91 交易查询 (五期 §4.6.3) with the stored 令牌 as carddata. P610 is "not found"; a refused 令牌 says so. */
export async function askWuqiSi91(client: PlatformClient, q: Extract<CentreQuery, { xxlxm: 'SI91' }>, operator: Operator): Promise<CentreAnswer> {
  check('SI91', si91Input, q.input);
  const at = new Date().toISOString();
  const r = await client.wuqi({ xxlxm: 'SI91', xxnr: q.input, operator: wuqiOperator(operator), outputSchema: si91Output });
  const asked: Asked = { xxlxm: 'SI91', msgid: r.msgid, at };
  if (r.kind !== 'ok') return notAnswered(asked, r, 'WUQI');
  return { kind: 'answered', asked, found: true, record: recordFromSi91(r.output) };
}

/** The question for the order's route (centreQueryFor), asked. */
export function askCentre(client: PlatformClient, q: Exclude<CentreQuery, { none: string }>, operator: Operator): Promise<CentreAnswer> {
  if ('xxlxm' in q) return askWuqiSi91(client, q, operator);
  return q.infno === '5203' ? askNational5203(client, q, operator) : askNational5203A(client, q, operator);
}
