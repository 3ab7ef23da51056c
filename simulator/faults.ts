import { z } from 'zod';

export const FAULT_KINDS = [
  'dropPush', // the push is lost: never delivered
  'duplicatePush', // delivered `copies` times
  'delayPush', // first delivery after delayMs
  'pushBeforeReply', // SE03 is delivered before the SE02 reply
  'wrongAmountPush', // the push carries a different amount than the settlement
  'forgedPush', // an extra push for an unknown ecToken
  'http5xx', // the route answers 500 (afterProcessing: the request was acted on first)
  'hang', // no reply at all (afterProcessing: the request was acted on first)
  'businessError', // infcode -1 / xxfhm P900 with `message`
  'refundFailure', // infno SE07: the SE07 cash refund ends -1; SE05: the automatic cash refund after 2208 ends -1; 2208: 2208 refused
  'cashRefundStuck', // no automatic cash refund after 2208/SK01 (SE06 finds none): the SE07 remedy case
  'wuqiCode', // 五期 answers xxfhm `code` (a §3.4 code, e.g. T100); afterProcessing: the request was acted on first
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleInput = z.object({
  kind: z.enum(FAULT_KINDS),
  /** Only for this interface (SE02, SE04, 2208, SM01, ...). */
  infno: z.string().max(8).optional(),
  /** Only for this person (simulator person id). */
  personId: z.string().max(64).optional(),
  /** Probability of firing when it matches. */
  rate: z.number().min(0).max(1).default(1),
  /** How many more times it may fire; absent = unlimited. */
  times: z.number().int().positive().optional(),
  afterProcessing: z.boolean().default(false),
  delayMs: z.number().int().min(0).max(600_000).default(0),
  copies: z.number().int().min(2).max(10).default(2),
  message: z.string().max(200).default('模拟业务错误'),
  /** wuqiCode: the §3.4 交易返回码 to answer */
  code: z
    .string()
    .regex(/^[A-Z]\d{3}$/, 'code must be a §3.4 交易返回码 such as T100')
    .default('T100'),
});
export type FaultRule = z.infer<typeof faultRuleInput> & { id: number; fired: number };

export class FaultBook {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: z.input<typeof faultRuleInput>): FaultRule {
    const rule = { ...faultRuleInput.parse(input), id: this.nextId++, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching rule that fires now (consumes one of its `times`). */
  take(kind: FaultKind, where: { infno?: string; personId?: string } = {}): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== kind) continue;
      if (rule.infno && rule.infno !== where.infno) continue;
      if (rule.personId && rule.personId !== where.personId) continue;
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (this.random() >= rule.rate) continue;
      if (rule.times !== undefined) rule.times -= 1;
      rule.fired += 1;
      return rule;
    }
    return undefined;
  }
}
