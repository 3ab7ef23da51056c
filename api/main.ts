import { loadConfigOrExit } from '../common/config';
import { createLogger } from '../common/logger';
import { startApi } from './server';

const config = loadConfigOrExit();
const log = createLogger('api', config.LOG_LEVEL);
startApi(config, log)
  .then((api) => {
    log.info({ url: api.url }, 'API and callback receiver listening');
    const stop = () => void api.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })
  .catch((err) => {
    log.fatal({ err: (err as Error).message }, 'API failed to start');
    process.exit(1);
  });
