// The national route's centre record queries: 5203 and 5203A through the platform client's national().
import type { PlatformClient } from '../../platform/client';
import { query5203AInput, query5203AOutput, query5203Input, query5203Output } from '../../protocol/centre-query';
import { recordFrom5203, recordFrom5203A, type CentreQuery } from '../../protocol/centre-record';
import type { Operator } from '../../protocol/national-header';
import { check, notAnswered, type Asked, type CentreAnswer } from '../centre-answer';

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
export async function askNational5203A(
  client: PlatformClient,
  q: Extract<CentreQuery, { infno: '5203A' }>,
  operator: Operator,
  setlId?: string,
): Promise<CentreAnswer> {
  check('5203A', query5203AInput, q.input);
  const at = new Date().toISOString();
  const r = await client.national({ infno: '5203A', input: q.input, operator, insuplcAdmdvs: q.insuplcAdmdvs, outputSchema: query5203AOutput });
  const asked: Asked = { infno: '5203A', msgid: r.msgid, at };
  if (r.kind !== 'ok') return notAnswered(asked, r, 'NATIONAL');
  const record = recordFrom5203A(r.output, setlId);
  return record
    ? { kind: 'answered', asked, found: true, record }
    : { kind: 'answered', asked, found: false, record: null, message: '5203A answered no record' };
}

/** This route's question, asked; undefined for another route's (activities/centre-record.ts asks every route in turn). */
export function askCentre(client: PlatformClient, q: Exclude<CentreQuery, { none: string }>, operator: Operator): Promise<CentreAnswer> | undefined {
  if (!('infno' in q)) return undefined;
  return q.infno === '5203' ? askNational5203(client, q, operator) : askNational5203A(client, q, operator);
}
