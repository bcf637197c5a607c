import { Api } from 'grammy';
import { EmailMessenger } from '../adapters/email/email-messenger.ts';
import { ownClient } from '../adapters/postgres/with-client.ts';
import type { Config, JobConfig } from '../config/load-config.ts';
import { AppError, describeError, type Detail } from '../errors.ts';
import { createLogger } from '../log.ts';
import { MysqlDatabase } from '../adapters/mysql/mysql-database.ts';
import type { DoctorClients } from '../cli/doctor.ts';
import { buildSource } from './app.ts';
import { buildTarget } from './restore-target.ts';
import { buildDestinations } from './backup-destinations.ts';
import { telegramClient } from '../adapters/telegram/telegram-client.ts';

/** What a backup job's database answers, in both languages; each refusal an AppError naming what to fix. */
export async function jobDatabase(job: JobConfig): Promise<Detail> {
  if (job.type === 'tokobot') return { en: 'tokobot\'s own ops database (checked with the restore server)', id: 'database ops tokobot sendiri (diperiksa bersama server restore)' };
  if (job.type === 'mysql') {
    const db = new MysqlDatabase({ url: job.url });
    try {
      const tables = Object.keys(await db.countRows(db.database)).length;
      return { en: `MySQL database ${db.database} answers (${tables} tables)`, id: `database MySQL ${db.database} menjawab (${tables} tabel)` };
    } finally {
      await db.close();
    }
  }
  if (job.container) {
    return { en: `PostgreSQL inside the container ${job.container} (checked at the first run)`, id: `PostgreSQL di dalam container ${job.container} (diperiksa saat backup pertama)` };
  }
  const c = ownClient({ connectionString: job.url, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
    const r = await c.query('SELECT current_database() AS db, version() AS v');
    const version = String(r.rows[0].v).split(' ').slice(0, 2).join(' ');
    return { en: `PostgreSQL database ${r.rows[0].db} answers (${version})`, id: `database PostgreSQL ${r.rows[0].db} menjawab (${version})` };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const said = code === '28P01' ? { en: 'the password in the job\'s URL is wrong', id: 'kata sandi di URL job salah' }
      : code === '3D000' ? { en: 'the database in the job\'s URL does not exist', id: 'database di URL job tidak ada' }
        : code === 'ECONNREFUSED' ? { en: 'nothing listens at the host and port in the job\'s URL', id: 'tidak ada yang mendengarkan di host dan port pada URL job' }
          : { en: describeError(err), id: describeError(err) };
    throw new AppError(code === 'ECONNREFUSED' ? 'unreachable' : 'refused', 'postgres', said, { cause: err });
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The real clients `tokobot doctor` asks: each is built, asked once and never changes anything. */
export function doctorClients(config: Config): DoctorClients {
  const logger = createLogger('silent');
  return {
    restoreServer: async () => (await buildTarget(config, logger)).diagnose(),
    // Tried once: the doctor says what is wrong now rather than waiting out retries.
    source: (store) => buildSource(config, store, logger, { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }),
    // Its own time limit, under the doctor's: a network that drops packets is then named as unreachable, with what to check.
    telegramBot: async (token, apiRoot) => (await new Api(token, { ...telegramClient(apiRoot, config.proxy), timeoutSeconds: 15 }).getMe()).username,
    smtp: async (smtp) => {
      const email = new EmailMessenger({ smtp });
      try {
        await email.verify();
      } finally {
        email.close();
      }
    },
    jobDatabase,
    jobDestination: (job, index) => buildDestinations(config, job, logger)[index]!,
  };
}
