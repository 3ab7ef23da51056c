import { cliArgs, usageExit } from './cli-args';
import { cliService } from './cli-client';

const USAGE = `
usage: npm run resolve -- --list
       npm run resolve -- --order H31… --decision PAID|FAILED|REFUNDED|REFUND_FAILED --operator NAME --note TEXT
       npm run resolve -- --order H31… --remedy --operator NAME --note TEXT
  Lists, or resolves, settlements and refunds in NEEDS_REVIEW (decide only after checking with the platform).
  --remedy sends the SE07 现金改账 remedy for a refund whose cash part the centre says was not refunded
  (CASH_REFUND_NOT_SEEN): SE06 is asked first, and SE07 goes out only if it still shows no cash refund.
`;
const DECISIONS = ['PAID', 'FAILED', 'REFUNDED', 'REFUND_FAILED'] as const;

async function main() {
  const flags = cliArgs(USAGE, {
    list: { type: 'boolean' },
    order: { type: 'string' },
    decision: { type: 'string' },
    operator: { type: 'string' },
    note: { type: 'string' },
    remedy: { type: 'boolean' },
  });
  const resolving =
    flags.order !== undefined || flags.decision !== undefined || flags.operator !== undefined || flags.note !== undefined || flags.remedy !== undefined;
  if (flags.list && resolving) usageExit(USAGE, '--list takes no other flags');
  if (!flags.list) {
    if (flags.remedy && flags.decision !== undefined) usageExit(USAGE, '--remedy takes no --decision');
    const missing = (flags.remedy ? (['order', 'operator', 'note'] as const) : (['order', 'decision', 'operator', 'note'] as const)).filter(
      (k) => !flags[k]?.trim(),
    );
    if (missing.length > 0) usageExit(USAGE, `missing ${missing.map((m) => `--${m}`).join(', ')}`);
    if (!flags.remedy && !(DECISIONS as readonly string[]).includes(flags.decision!))
      usageExit(USAGE, `--decision must be ${DECISIONS.join(', ')}, not "${flags.decision}"`);
    if (!/^[A-Z0-9]{12}\d{23}$/.test(flags.order!)) usageExit(USAGE, `--order is not an orderNo: "${flags.order}"`);
  }
  const { service, close } = await cliService();
  try {
    if (flags.list) {
      const items = await service.queries.reviews();
      if (items.length === 0) process.stdout.write('nothing needs review\n');
      for (const i of items) process.stdout.write(`${i.orderNo}  ¥${i.medfeeSumamt}  ${i.route ?? ''}  ${i.reason ?? ''}\n`);
      return;
    }
    if (flags.remedy) {
      const r = await service.commands.remedy(flags.order!, { operator: flags.operator!.trim(), note: flags.note!.trim(), by: 'cli' });
      process.stdout.write(`${flags.order}: SE07 remedy requested; the settlement is ${r.status}, its refund ${r.refund?.status ?? '?'}\n`);
      return;
    }
    const v = await service.commands.resolve(flags.order!, {
      decision: flags.decision as (typeof DECISIONS)[number],
      operator: flags.operator!.trim(),
      note: flags.note!.trim(),
    });
    process.stdout.write(`${flags.order} is now ${v.status} (${v.reason ?? ''})\n`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  process.stderr.write(`resolve: ${(err as Error).message}\n`);
  process.exit(1);
});
