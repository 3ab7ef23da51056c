import { reconcile, toCsv } from '../api/reconciliation';
import { formatDate } from '../protocol/shanghai-time';
import { cliArgs, usageExit } from './cli-args';
import { cliService } from './cli-client';

const USAGE = `
usage: npm run reconcile -- [--date YYYY-MM-DD] [--csv]
  The day's settlements and refunds (Asia/Shanghai), totals per channel and status, and flags.
  --date   the Shanghai day (default: today)
  --csv    CSV on stdout (UTF-8 with a BOM, so Excel shows 中文 correctly)
`;

async function main() {
  const flags = cliArgs(USAGE, { date: { type: 'string' }, csv: { type: 'boolean' } });
  const date = flags.date ?? formatDate(Date.now());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) usageExit(USAGE, `--date must be a date as YYYY-MM-DD, not "${date}"`);
  const { service, close } = await cliService();
  try {
    const report = await reconcile(service.queries, date);
    if (flags.csv) {
      process.stdout.write(toCsv(report));
      return;
    }
    process.stdout.write(`Reconciliation ${date} (Asia/Shanghai): ${report.rows.length} rows\n\n`);
    console.table(report.rows.map((r) => ({ type: r.type, orderNo: r.orderNo, status: r.status, medfee: r.medfee_sumamt, fund: r.fund_pay_sumamt, acct: r.acct_pay, cash: r.psn_cash_pay, channel: r.channel })));
    process.stdout.write('\nBy channel (paid settlements and refunds):\n');
    console.table(report.totals.byChannel);
    process.stdout.write('By type and status:\n');
    console.table(report.totals.byStatus);
    process.stdout.write(`Net: ${JSON.stringify(report.totals.net)}\n`);
    process.stdout.write(`Flags: ${report.flags.needsReview.length} NEEDS_REVIEW, ${report.flags.pushQueryMismatches.length} push/query mismatches, ${report.flags.orphanPushes.length} orphan pushes\n`);
    for (const f of report.flags.needsReview) process.stdout.write(`  review ${f.orderNo}: ${f.reason}\n`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  process.stderr.write(`reconcile: ${(err as Error).message}\n`);
  process.exit(1);
});
