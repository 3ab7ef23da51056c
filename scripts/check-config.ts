import { loadConfigOrExit } from '../common/config';

// One-shot for the compose stack (service shyb-config-check) and for operators: validates the
// environment as the worker and the API will read it, and exits 2 with one clear line if it is bad.
const config = loadConfigOrExit();
process.stdout.write(
  `configuration ok: platform ${config.platformUrl}, Temporal ${config.TEMPORAL_ADDRESS}/${config.TEMPORAL_NAMESPACE}, ${config.apiKeys.length} API key(s)${config.apiKeyEntries.length ? ` (${config.apiKeyEntries.map((k) => `${k.name}: ${k.roles.join('+')}`).join(', ')})` : ''}, payload keys ${config.PAYLOAD_KEYS ? 'set' : 'from DATA_DIR'}\n`,
);
