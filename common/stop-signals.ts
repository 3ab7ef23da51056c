/**
 * Runs `stop` on the first SIGINT or SIGTERM and ignores the ones after it. Under `npm run …`
 * (npm → tsx → node) a terminal's Ctrl-C arrives twice, from the terminal and relayed by tsx; with
 * `process.once` the second one killed the process in the middle of its clean stop (no 9002 sign-out,
 * no "stopped").
 */
export function onStopSignals(stop: () => unknown): void {
  let stopping = false;
  const first = () => {
    if (stopping) return;
    stopping = true;
    void stop();
  };
  process.on('SIGINT', first);
  process.on('SIGTERM', first);
}
