import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import type { Database } from '../db/connect.js';
import { parseAllowList } from '../domain/webhooks/addresses.js';
import { type DeliveryWorker, deliveryWorker } from '../jobs/worker.js';
import type { Print } from './commands.js';
import { openDatabase } from './database.js';

/** TRELLIS_WEBHOOK_ALLOW as the worker and the routes take it; a malformed entry stops the start. */
export function webhookAllowList(config: Config) {
  try {
    return parseAllowList(config.webhooks.allow);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** The outbound webhooks worker on an open database; errors of a round are reported and the loop goes on. */
export function startWorker(config: Config, database: Database, report: (error: unknown) => void) {
  const worker = deliveryWorker({ db: database.db, allow: webhookAllowList(config), onError: report });
  worker.start();
  return worker;
}

/** `trellis worker`: delivers outbound webhooks alone, beside API processes on the same PostgreSQL. */
export async function workerCommand(_argv: string[], config: Config, print: Print) {
  const database = await openDatabase(config);
  const worker: DeliveryWorker = startWorker(config, database, (error) =>
    process.stderr.write(`trellis worker: ${(error as Error).message}\n`),
  );
  print(`Delivering outbound webhooks (${worker.id}); Ctrl-C stops after the round under way.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.stop();
  await database.close();
}
