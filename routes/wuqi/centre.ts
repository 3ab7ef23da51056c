// The 五期 route's centre record query: SI91 through the platform client's wuqi().
import type { PlatformClient } from '../../platform/client';
import { si91Input, si91Output } from '../../protocol/centre-query';
import { recordFromSi91, type CentreQuery } from '../../protocol/centre-record';
import type { Operator } from '../../protocol/national-header';
import { check, notAnswered, type Asked, type CentreAnswer } from '../centre-answer';
import { wuqiOperator } from '../../protocol/wuqi';

/** SI91 交易查询 (五期 §4.6.3) with the stored 令牌 as carddata. P610 is "not found"; a refused 令牌 says so. */
export async function askWuqiSi91(client: PlatformClient, q: Extract<CentreQuery, { xxlxm: 'SI91' }>, operator: Operator): Promise<CentreAnswer> {
  check('SI91', si91Input, q.input);
  const at = new Date().toISOString();
  const r = await client.wuqi({ xxlxm: 'SI91', xxnr: q.input, operator: wuqiOperator(operator), outputSchema: si91Output });
  const asked: Asked = { xxlxm: 'SI91', msgid: r.msgid, at };
  if (r.kind !== 'ok') return notAnswered(asked, r, 'WUQI');
  return { kind: 'answered', asked, found: true, record: recordFromSi91(r.output) };
}

/** This route's question, asked; undefined for another route's (activities/centre-record.ts asks every route in turn). */
export function askCentre(client: PlatformClient, q: Exclude<CentreQuery, { none: string }>, operator: Operator): Promise<CentreAnswer> | undefined {
  return 'xxlxm' in q ? askWuqiSi91(client, q, operator) : undefined;
}
