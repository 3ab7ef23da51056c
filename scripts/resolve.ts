import { cliArgs, usageExit } from './cli-args';
import { cliService } from './cli-client';

const USAGE = `
usage: npm run resolve -- --list
       npm run resolve -- --order H31… --decision PAID|FAILED|REFUNDED|REFUND_FAILED --operator NAME --note TEXT
  Lists, or resolves, settlements and refunds in NEEDS_REVIEW (decide only after checking with the platform).
`;
const DECISIONS = ['PAID', 'FAILED', 'REFUNDED', 'REFUND_FAILED'] as const;

async function main() {
  const flags = cliArgs(USAGE, {
    list: { type: 'boolean' },
    order: { type: 'string' },
    decision: { type: 'string' },
    operator: { type: 'string' },
    note: { type: 'string' },
  });
  const resolving = flags.order !== undefined || flags.decision !== undefined || flags.operator !== undefined || flags.note !== undefined;
  if (flags.list && resolving) usageExit(USAGE, '--list takes no other flags');
  if (!flags.list) {
    const missing = (['order', 'decision', 'operator', 'note'] as const).filter((k) => !flags[k]?.trim());
    if (missing.length > 0) usageExit(USAGE, `missing ${missing.map((m) => `--${m}`).join(', ')}`);
    if (!(DECISIONS as readonly string[]).includes(flags.decision!)) usageExit(USAGE, `--decision must be ${DECISIONS.join(', ')}, not "${flags.decision}"`);
    if (!/^[A-Z0-9]{12}\d{23}$/.test(flags.order!)) usageExit(USAGE, `--order is not an orderNo: "${flags.order}"`);
  }
  const { service, close } = await cliService();
  try {
    if (flags.list) {
      const items = await service.reviews();
      if (items.length === 0) process.stdout.write('nothing needs review\n');
      for (const i of items) process.stdout.write(`${i.orderNo}  ¥${i.medfeeSumamt}  ${i.route ?? ''}  ${i.reason ?? ''}\n`);
      return;
    }
    const v = await service.resolve(flags.order!, { decision: flags.decision as (typeof DECISIONS)[number], operator: flags.operator!.trim(), note: flags.note!.trim() });
    process.stdout.write(`${flags.order} is now ${v.status} (${v.reason ?? ''})\n`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  process.stderr.write(`resolve: ${(err as Error).message}\n`);
  process.exit(1);
});
