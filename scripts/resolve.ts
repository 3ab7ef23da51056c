import { arg, cliService } from './cli-client';

// npm run resolve -- --list
// npm run resolve -- --order H31… --decision PAID|FAILED|REFUNDED|REFUND_FAILED --operator 张三 --note "…"
async function main() {
  const { service, close } = await cliService();
  try {
    if (process.argv.includes('--list')) {
      const items = await service.reviews();
      if (items.length === 0) process.stdout.write('nothing needs review\n');
      for (const i of items) process.stdout.write(`${i.orderNo}  ¥${i.medfeeSumamt}  ${i.route ?? ''}  ${i.reason ?? ''}\n`);
      return;
    }
    const orderNo = arg('order');
    const decision = arg('decision');
    const operator = arg('operator');
    const note = arg('note');
    if (!orderNo || !decision || !operator || !note) throw new Error('usage: --order X --decision PAID|FAILED|REFUNDED|REFUND_FAILED --operator NAME --note TEXT (or --list)');
    if (!['PAID', 'FAILED', 'REFUNDED', 'REFUND_FAILED'].includes(decision)) throw new Error('--decision must be PAID, FAILED, REFUNDED or REFUND_FAILED');
    const v = await service.resolve(orderNo, { decision: decision as 'PAID', operator, note });
    process.stdout.write(`${orderNo} is now ${v.status} (${v.reason ?? ''})\n`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  process.stderr.write(`resolve: ${(err as Error).message}\n`);
  process.exit(1);
});
