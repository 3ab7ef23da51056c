import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { PinoSdkLogger, type Logger } from '../common/logger';

/**
 * Installs the SDK runtime once: with a pino logger, the SDK's logs (core's forwarded too, WARN and
 * up) become pino JSON lines; the SDK's own Prometheus metrics when a port is given.
 */
export function installRuntime(opts: { sdkMetricsPort?: number; metricsHost?: string; shutdownSignals?: NodeJS.Signals[]; log?: Logger }): void {
  Runtime.install({
    logger: opts.log ? new PinoSdkLogger(opts.log.child({ component: 'temporal-sdk' })) : new DefaultLogger('WARN'),
    ...(opts.shutdownSignals ? { shutdownSignals: opts.shutdownSignals } : {}),
    telemetryOptions: {
      ...(opts.log ? { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } } : {}),
      ...(opts.sdkMetricsPort ? { metrics: { prometheus: { bindAddress: `${opts.metricsHost ?? '127.0.0.1'}:${opts.sdkMetricsPort}` } } } : {}),
    },
  });
}
