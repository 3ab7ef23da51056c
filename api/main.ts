import { loadConfigOrExit } from '../common/config';
import { createLogger } from '../common/logger';
import { startApi } from './server';
import { onStopSignals } from '../common/stop-signals';

const config = loadConfigOrExit();
const log = createLogger('api', config.LOG_LEVEL);
startApi(config, log)
  .then((api) => {
    log.info({ url: api.url }, 'API and callback receiver listening');
    const stop = () => void api.close().then(() => process.exit(0));
    onStopSignals(stop);
  })
  .catch((err) => {
    log.fatal({ err: (err as Error).message }, 'API failed to start');
    process.exit(1);
  });
