import { DefaultLogger, Runtime } from '@temporalio/worker';

/** Installs the SDK runtime once: quiet core logs, and the SDK's own Prometheus metrics when a port is given. */
export function installRuntime(opts: { sdkMetricsPort?: number; metricsHost?: string; shutdownSignals?: NodeJS.Signals[] }): void {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    ...(opts.shutdownSignals ? { shutdownSignals: opts.shutdownSignals } : {}),
    ...(opts.sdkMetricsPort ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${opts.metricsHost ?? '127.0.0.1'}:${opts.sdkMetricsPort}` } } } } : {}),
  });
}
