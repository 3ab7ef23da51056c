import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { PinoSdkLogger, type Logger } from '../common/logger';

/**
 * Installs the SDK runtime once: with a pino logger, the SDK's logs (core's forwarded too, WARN and
 * up) become pino JSON lines; the SDK's own Prometheus metrics when a port is given.
 */
export function installRuntime(opts: { sdkMetricsPort?: number; metricsHost?: string; shutdownSignals?: NodeJS.Signals[]; log?: Logger }): void {
  const bindAddress = `${opts.metricsHost ?? '127.0.0.1'}:${opts.sdkMetricsPort}`;
  try {
    Runtime.install({
      logger: opts.log ? new PinoSdkLogger(opts.log.child({ component: 'temporal-sdk' })) : new DefaultLogger('WARN'),
      ...(opts.shutdownSignals ? { shutdownSignals: opts.shutdownSignals } : {}),
      telemetryOptions: {
        ...(opts.log ? { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } } : {}),
        ...(opts.sdkMetricsPort ? { metrics: { prometheus: { bindAddress } } } : {}),
      },
    });
  } catch (err) {
    throw sdkMetricsPortError(err, opts.sdkMetricsPort, bindAddress) ?? err;
  }
}

/** The SDK's "Failed to start prometheus metrics exporter: Address already in use" says which setting moves it. */
export function sdkMetricsPortError(err: unknown, port: number | undefined, bindAddress: string): Error | undefined {
  const message = (err as Error)?.message ?? '';
  if (!port || !/prometheus|address already in use|os error 98|EADDRINUSE/i.test(message)) return undefined;
  return new Error(
    `the Temporal SDK's metrics port ${bindAddress} cannot be opened (${message}): set METRICS_SDK_PORT to a free port (e.g. METRICS_SDK_PORT=9465), or stop what holds ${port}`,
  );
}
