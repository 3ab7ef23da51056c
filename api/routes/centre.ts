import { z } from 'zod';
import '../schemas'; // extends zod with .openapi()
import { askCentreAbout } from '../centre-answer';
import { centreRecordSchema as recordSchema, differenceSchema } from '../centre-word';
import { defineRoute } from './route';
import { orderNoPath } from './settlements';

export const centreViewSchema = z
  .object({
    orderNo: z.string(),
    route: z.enum(['NATIONAL', 'WUQI']),
    asked: z
      .object({ infno: z.enum(['5203', '5203A']).optional(), xxlxm: z.literal('SI91').optional(), msgid: z.string(), at: z.string().datetime() })
      .openapi({ description: 'the query sent: national infno or 五期 xxlxm, its msgid and when' }),
    found: z.boolean().openapi({ description: 'the centre holds a record (false: not found, 5203 refusal "未找到…" / SI91 P610 / an empty 5203A list)' }),
    record: recordSchema.nullable().openapi({ description: "the centre's record, amounts in fen; no personal data" }),
    ours: recordSchema.nullable().openapi({ description: "the order's verified result as the same record" }),
    agrees: z.boolean(),
    differences: z
      .array(differenceSchema)
      .openapi({ description: 'each field where the books differ; a record the centre does not have is the field "found"' }),
    message: z.string().optional().openapi({ description: "the centre's words when it has no record (masked)" }),
  })
  .openapi('CentreAnswer');

export const getCentreRecord = defineRoute({
  method: 'get',
  path: '/api/settlements/{orderNo}/centre',
  operationId: 'getCentreRecord',
  tag: 'review',
  summary: 'Ask the centre now for its record of the settlement (national 5203 / 5203A, 五期 SI91) and compare it with ours',
  description:
    'Read-only: one query to the centre, nothing in the order changes. National: 5203 with psn_no, setl_id, mdtrt_id (header insuplc_admdvs); 5203A by medins_setl_id when there is no setl_id. 五期: SI91 with the stored 令牌. An order without a settlement to ask about (PROCESSING, FAILED, SE02 outcome unknown: SE04 decides, V13) answers 409 CENTRE_NOTHING_TO_ASK. No answer from the centre: 502 PLATFORM_UNAVAILABLE.',
  access: ['finance', 'ops'],
  needs: 'platform',
  input: { params: orderNoPath },
  ok: { status: 200, description: "the centre's record beside ours", schema: centreViewSchema },
  problems: ['ORDER_NOT_FOUND', 'WORKFLOW_NOT_READY', 'CENTRE_NOTHING_TO_ASK', 'CENTRE_TOKEN_REFUSED', 'CENTRE_REFUSED', 'PLATFORM_UNAVAILABLE'],
  handler: async ({ params: { orderNo } }, { deps }) => askCentreAbout(orderNo, await deps.service.queries.status(orderNo), deps.platform!),
});
