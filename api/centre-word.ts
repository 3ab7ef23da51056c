import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { maskPersonal } from '../common/logger';
import type { CentreWord } from '../protocol/centre-suggestion';

// schemas.ts imports this module: extend zod here too (idempotent), not through a circular import
extendZodWithOpenApi(z);

// The centre's record and its word on a review item, as the API shows them (GET /api/settlements/{orderNo}/centre,
// the order view's review, GET /api/reviews). Ids and amounts only.

const fen = z.number().int().openapi({ description: 'integer fen' });
export const centreRecordSchema = z
  .object({
    setlId: z.string().openapi({ description: 'national setl_id; 五期 中心流水号 lsh' }),
    mdtrtId: z.string().nullable().openapi({ description: 'national mdtrt_id; 五期 就诊单元号 jzdyh (null on our side: the view keeps none)' }),
    setlTime: z.string().nullable().openapi({ description: 'national setl_time; null for 五期 (SI91 has no time)' }),
    medfee: fen,
    fund: fen,
    account: fen,
    cash: fen.openapi({ description: "the patient's cash; the 五期 centre's: the most its figures allow" }),
    cashMin: fen
      .optional()
      .openapi({ description: '五期 centre only: the least cash its figures allow (in-scope cash); ours agrees anywhere in [cashMin, cash]' }),
    refunded: z
      .boolean()
      .nullable()
      .openapi({ description: 'national: refd_setl_flag 1 (5203) / a 退费 row (5203A); null for 五期 (SI91 has paystatus only): not compared' }),
    paid: z
      .boolean()
      .nullable()
      .openapi({ description: 'the settlement stands: 5203 a record, 5203A vali_flag ≠ 0, SI91 paystatus 1; ours PAID or later (null while undecided)' }),
  })
  .openapi('CentreRecord');

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const differenceSchema = z.object({ field: z.string(), ours: value, centre: value });

const askedSchema = z.object({ query: z.enum(['5203', '5203A', 'SI91']), msgid: z.string(), at: z.string() });

export const centreWordSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('answered'),
      asked: askedSchema,
      found: z.boolean(),
      record: centreRecordSchema.nullable(),
      agrees: z.boolean(),
      differences: z.array(differenceSchema),
      message: z.string().optional(),
    }),
    z.object({ kind: z.literal('refused'), asked: askedSchema, code: z.string(), message: z.string(), tokenRefused: z.boolean() }),
    z.object({ kind: z.literal('nothing'), reason: z.string() }),
  ])
  .openapi('CentreWord', {
    description:
      'what the centre said when the order entered review (asked once per review): answered (found or not, with the comparison), refused, or nothing to ask (no setl_id / 五期 settlement yet). Absent: not asked yet, or the centre did not answer (event CENTRE_UNAVAILABLE)',
  });

/** The review's centre fields for the API, masked once more (the centre's texts pass through maskPersonal). */
export function apiCentreWord(review: { centre?: CentreWord; suggestion?: string } | undefined) {
  if (!review?.centre) return {};
  const c = review.centre;
  const centre: CentreWord =
    c.kind === 'nothing'
      ? { ...c, reason: maskPersonal(c.reason) }
      : c.kind === 'refused'
        ? { ...c, message: maskPersonal(c.message) }
        : { ...c, ...(c.message ? { message: maskPersonal(c.message) } : {}) };
  return { centre, ...(review.suggestion ? { suggestion: maskPersonal(review.suggestion) } : {}) };
}
