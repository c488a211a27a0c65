/** Entry point: configuration → runtime → listen → graceful shutdown on SIGTERM/SIGINT. */
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config.js';
import { startRuntime } from './runtime.js';
import { startSweeper } from './modules/feeds/sweeper.js';
import { listenForMetrics } from './plugins/operations.js';
import { startDnsPrimary } from './modules/dns/primary.js';
import { loadSealKeys } from './modules/dns/seal.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { app, bootstrap, database } = await startRuntime(config).catch((err: unknown) => {
    if (err instanceof ConfigError) { // found at start: DATABASE_READ_URL that is no replica of DATABASE_URL
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  });
  if (bootstrap) {
    // Printed once, to stdout only (never to the log): the database keeps only a hash.
    process.stdout.write([
      '',
      'Bootstrap secretariat client created. Keep these; the secret is not shown again.',
      `  client_id:     ${bootstrap.client_id}`,
      `  client_secret: ${bootstrap.client_secret}`,
      '',
    ].join('\n') + '\n');
  }
  const stopSweeper = startSweeper(database.db, config.sweepIntervalSeconds * 1000, app.log, { retentionDays: config.retentionDays, headEvery: config.auditHeadEvery });
  app.addHook('onClose', async () => stopSweeper());
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  if (config.metricsPort !== undefined) {
    const metrics = await listenForMetrics(app.metrics, config.metricsHost, config.metricsPort);
    app.addHook('onClose', async () => { await new Promise((resolve) => metrics.server.close(resolve)); });
    app.log.info({ host: config.metricsHost, port: metrics.port }, 'metrics served without authentication on a separate listener');
  }
  if (config.dnsPort !== undefined) {
    const dns = await startDnsPrimary({ db: database.db, config, sealKeys: await loadSealKeys(database.db, config.tsigSealKeys), log: app.log });
    app.addHook('onClose', async () => dns.close());
  }
  await app.listen({ host: config.host, port: config.port });
  app.log.info({ database: database.driver }, 'I-SOP Exchange ready');
}

main().catch((err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
