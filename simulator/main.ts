import { loadConfigOrExit } from '../common/config';
import { createLogger } from '../common/logger';
import { cainfoSettingsFrom } from '../routes/national/simulator/platform';
import { startSimulator } from './server';
import { onStopSignals } from '../common/stop-signals';

const config = loadConfigOrExit();
const log = createLogger('simulator', config.LOG_LEVEL);
const pushMode = process.env.SIMULATOR_PUSH === 'off' ? 'off' : 'on';
const mode = process.env.SIMULATOR_MODE === 'prod' ? 'prod' : 'test';
startSimulator({
  port: config.SIMULATOR_PORT,
  mode,
  log,
  settings: { pushMode, callbackBaseUrl: config.CALLBACK_BASE_URL, cainfo: cainfoSettingsFrom(config) },
})
  .then((sim) => {
    log.info({ url: sim.url, pushMode, mode, callbackBaseUrl: config.CALLBACK_BASE_URL }, 'platform simulator listening');
    const stop = () => void sim.close().then(() => process.exit(0));
    onStopSignals(stop);
  })
  .catch((err) => {
    log.fatal({ err: (err as Error).message }, 'simulator failed to start');
    process.exit(1);
  });
