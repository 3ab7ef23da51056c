import { z } from 'zod';
import '../schemas'; // extends zod with .openapi()
import { askCentreAbout } from '../centre-answer';
import { defineRoute } from './route';
import { orderNoPath } from './settlements';

const fen = z.number().int().openapi({ description: 'integer fen' });
const recordSchema = z
  .object({
    setlId: z.string().openapi({ description: 'national setl_id; 五期 中心流水号 lsh' }),
    mdtrtId: z.string().nullable().openapi({ description: 'national mdtrt_id; 五期 就诊单元号 jzdyh (null on our side: the view keeps none)' }),
    setlTime: z.string().nullable().openapi({ description: 'national setl_time; null for 五期 (SI91 has no time)' }),
    medfee: fen,
    fund: fen,
    account: fen,
    cash: fen.openapi({ description: "the patient's cash; the 五期 centre's: the most its figures allow" }),
    cashMin: fen.optional().openapi({ description: "五期 centre only: the least cash its figures allow (in-scope cash); ours agrees anywhere in [cashMin, cash]" }),
    refunded: z.boolean().nullable().openapi({ description: 'national: refd_setl_flag 1 (5203) / a 退费 row (5203A); null for 五期 (SI91 has paystatus only): not compared' }),
    paid: z.boolean().nullable().openapi({ description: 'the settlement stands: 5203 a record, 5203A vali_flag ≠ 0, SI91 paystatus 1; ours PAID or later (null while undecided)' }),
  })
  .openapi('CentreRecord');

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

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
    differences: z.array(z.object({ field: z.string(), ours: value, centre: value })).openapi({ description: 'each field where the books differ; a record the centre does not have is the field "found"' }),
    message: z.string().optional().openapi({ description: "the centre's words when it has no record (masked)" }),
  })
  .openapi('CentreAnswer');

export const getCentreRecord = defineRoute({
  method: 'get',
  path: '/api/settlements/{orderNo}/centre',
  operationId: 'getCentreRecord',
  tag: 'review',
  summary: "Ask the centre now for its record of the settlement (national 5203 / 5203A, 五期 SI91) and compare it with ours",
  description:
    'Read-only: one query to the centre, nothing in the order changes. National: 5203 with psn_no, setl_id, mdtrt_id (header insuplc_admdvs); 5203A by medins_setl_id when there is no setl_id. 五期: SI91 with the stored 令牌. An order without a settlement to ask about (PROCESSING, FAILED, SE02 outcome unknown: SE04 decides, V13) answers 409 CENTRE_NOTHING_TO_ASK. No answer from the centre: 502 PLATFORM_UNAVAILABLE.',
  access: ['finance', 'ops'],
  needs: 'platform',
  input: { params: orderNoPath },
  ok: { status: 200, description: "the centre's record beside ours", schema: centreViewSchema },
  problems: ['ORDER_NOT_FOUND', 'WORKFLOW_NOT_READY', 'CENTRE_NOTHING_TO_ASK', 'CENTRE_TOKEN_REFUSED', 'CENTRE_REFUSED', 'PLATFORM_UNAVAILABLE'],
  handler: async ({ params: { orderNo } }, { deps }) => askCentreAbout(orderNo, await deps.service.queries.status(orderNo), deps.platform!),
});
