import { MAX_RANGE_DAYS, isCalendarDate, rangeDays, reconcileDays, toCsv } from '../api/reconciliation';
import { formatDate } from '../protocol/shanghai-time';
import { cliArgs, usageExit } from './cli-args';
import { cliService } from './cli-client';

const USAGE = `
usage: npm run reconcile -- [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [--csv]
  The day's settlements and refunds (Asia/Shanghai), totals per channel and status, and flags.
  --date   the Shanghai day (default: today)
  --from, --to   consecutive Shanghai days instead, both included (at most ${MAX_RANGE_DAYS})
  --csv    CSV on stdout (UTF-8 with a BOM, so Excel shows 中文 correctly)
`;

async function main() {
  const flags = cliArgs(USAGE, { date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' } });
  const days = reportDays(flags);
  const date = days.length === 1 ? days[0]! : `${days[0]!} to ${days[days.length - 1]!}`;
  const { service, close } = await cliService();
  try {
    const report = await reconcileDays(service.queries, days);
    if (flags.csv) {
      process.stdout.write(toCsv(report));
      return;
    }
    process.stdout.write(`Reconciliation ${date} (Asia/Shanghai): ${report.rows.length} rows\n\n`);
    console.table(
      report.rows.map((r) => ({
        type: r.type,
        orderNo: r.orderNo,
        status: r.status,
        medfee: r.medfee_sumamt,
        fund: r.fund_pay_sumamt,
        acct: r.acct_pay,
        cash: r.psn_cash_pay,
        channel: r.channel,
      })),
    );
    process.stdout.write('\nBy channel (paid settlements and refunds):\n');
    console.table(report.totals.byChannel);
    process.stdout.write('By type and status:\n');
    console.table(report.totals.byStatus);
    process.stdout.write(`Net: ${JSON.stringify(report.totals.net)}\n`);
    process.stdout.write(
      `Flags: ${report.flags.needsReview.length} NEEDS_REVIEW, ${report.flags.pushQueryMismatches.length} push/query mismatches, ${report.flags.orphanPushes.length} orphan pushes\n`,
    );
    for (const f of report.flags.needsReview) process.stdout.write(`  review ${f.orderNo}: ${f.reason}\n`);
  } finally {
    await close();
  }
}

/** --date alone, or --from with --to (the same rules as GET /api/reconciliation); a usage error otherwise. */
function reportDays(flags: { date?: string; from?: string; to?: string }): string[] {
  if (flags.from !== undefined || flags.to !== undefined) {
    if (flags.date !== undefined) usageExit(USAGE, 'give --date, or --from and --to, not both');
    if (flags.from === undefined || flags.to === undefined) usageExit(USAGE, '--from and --to go together');
    const days = rangeDays(flags.from, flags.to);
    if (!Array.isArray(days)) usageExit(USAGE, `--${days.field} ${days.message}`);
    return days;
  }
  const date = flags.date ?? formatDate(Date.now());
  if (!isCalendarDate(date)) usageExit(USAGE, `--date must be a date as YYYY-MM-DD, not "${date}"`);
  return [date];
}

main().catch((err) => {
  process.stderr.write(`reconcile: ${(err as Error).message}\n`);
  process.exit(1);
});
