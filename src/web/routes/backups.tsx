import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Role } from '../../config/sections.ts';
import type { JobConfig } from '../../config/load-config.ts';
import { describeError, isAppError } from '../../errors.ts';
import { NoSuchBackupFile } from '../../pipeline/backup/backup-console.ts';
import type { RestoreTask } from '../../pipeline/backup/restore-tasks.ts';
import { BackupConsolePage, consoleHref, DeletePage, RestorePage } from '../backup-pages.tsx';
import { allowedAction, auditOf, refuse, type WebDeps } from '../web-app.tsx';
import { type WebContext, type WebEnv } from '../web-env.ts';
import { pageViewer } from './overview.tsx';

/** A database a restore may create: plain lower-case names that need no quoting on PostgreSQL or MySQL. */
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** Names of the servers' own databases and of tokobot's scratch databases are never restored into. */
const RESERVED = /^(postgres|template\d*|mysql|sys|information_schema|performance_schema|tokobot_verify_.*)$/;
/** A destination index as forms and links carry it. */
const INDEX = /^\d{1,3}$/;

/** The form or query fields naming a stored file; null when they are missing or malformed. */
function fileOf(fields: Record<string, unknown>): { destination: number; name: string } | null {
  const { tujuan, berkas } = fields;
  if (typeof tujuan !== 'string' || !INDEX.test(tujuan) || typeof berkas !== 'string' || !berkas || berkas.length > 255) return null;
  return { destination: Number(tujuan), name: berkas };
}

/** A file name safe in a Content-Disposition header whatever the stored name holds. */
const attachmentName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/** The backup console: `/backup/:job` for admins and owners; download, restore and delete for owners only. */
export function backupRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const audit = auditOf(deps);
  const backups = deps.backups;
  if (!backups) return app; // no console wired: its URLs are not found

  const allow = (min: Role, action: string) => allowedAction(deps, min, action);
  const jobOf = (c: WebContext): JobConfig | undefined => backups.files.job(c.req.param('job') ?? '');
  const scrubbed = (text: string) => deps.scrub(text);

  /** Runs `act` on the file the request names; an unknown or path-like name is refused (404, audited when `action` changes something). */
  async function onFile(c: WebContext, fields: Record<string, unknown>, action: string | null,
    act: (job: JobConfig, file: { destination: number; name: string }) => Promise<Response>): Promise<Response> {
    const job = jobOf(c);
    if (!job) return refuse(c, 404, 'webBackupNoJob');
    const file = fileOf(fields);
    try {
      if (!file) throw new NoSuchBackupFile('usage', 'tokobot', 'no file named');
      return await act(job, file);
    } catch (err) {
      if (!(err instanceof NoSuchBackupFile)) throw err;
      if (action) await audit(c, { action, target: `${job.id}/${String(fields.berkas ?? '').slice(0, 200)}`, outcome: 'refused', detail: 'no such backup file' });
      return refuse(c, 404, 'webBackupNoFile');
    }
  }

  app.get('/backup/:job', allow('admin', 'backup.console'), async (c) => {
    const job = jobOf(c);
    if (!job) return refuse(c, 404, 'webBackupNoJob');
    const [data, retention] = await Promise.all([backups.files.files(job), backups.files.retention(job)]);
    const shown = {
      ...data,
      destinations: data.destinations.map((d) => ({ ...d, error: d.error && scrubbed(d.error), ...(d.errorId ? { errorId: scrubbed(d.errorId) } : {}) })),
      files: data.files.map((f) => ({ ...f, checked: f.checked && { ...f.checked, detail: scrubbed(f.checked.detail), ...(f.checked.detailId ? { detailId: scrubbed(f.checked.detailId) } : {}) } })),
    };
    return c.html(html`<!doctype html>${<BackupConsolePage viewer={pageViewer(c)} job={job.id} data={shown} zone={deps.zone}
      retention={retention.map((r) => ({ ...r, ...(r.error ? { error: scrubbed(r.error) } : {}) }))} />}`);
  });

  /** Streamed from the destination as it reads: never held whole here. */
  app.get('/backup/:job/unduh', allow('owner', 'backup.download'), (c) => onFile(c, c.req.query(), 'backup.download', async (job, file) => {
    const opened = await backups.files.open(job, file.destination, file.name);
    await audit(c, { action: 'backup.download', target: `${job.id}/${file.name}`, outcome: 'ok', detail: `from destination ${file.destination}, ${opened.size} bytes` });
    return c.body(Readable.toWeb(opened.stream) as ReadableStream, 200, {
      'Content-Type': 'application/octet-stream', 'Content-Length': String(opened.size), 'Content-Disposition': `attachment; filename="${attachmentName(file.name)}"`,
    });
  }));

  app.post('/backup/:job/verifikasi', allow('admin', 'backup.verify'), async (c) => onFile(c, await c.req.parseBody(), 'backup.verify', async (job, file) => {
    const result = await backups.files.verify(job, file.destination, file.name).catch((err) => {
      if (isAppError(err) && err.kind === 'busy') return null;
      throw err;
    });
    if (!result) {
      await audit(c, { action: 'backup.verify', target: `${job.id}/${file.name}`, outcome: 'refused', detail: 'a check of the job is running' });
      return refuse(c, 409, 'webBackupVerifyBusy');
    }
    await audit(c, { action: 'backup.verify', target: `${job.id}/${file.name}`, outcome: result.ok ? 'ok' : 'failed', detail: scrubbed(result.detail) });
    return c.redirect(consoleHref(job.id), 303);
  }));

  app.post('/backup/:job/pulihkan', allow('owner', 'backup.restore'), async (c) => {
    const form = await c.req.parseBody();
    return onFile(c, form, 'backup.restore', async (job, file) => {
      const database = typeof form.database === 'string' ? form.database.trim() : '';
      const target = `${job.id}/${file.name} → ${database.slice(0, 80)}`;
      const refused = async (status: 400 | 409, key: 'webBackupBadName' | 'webBackupHasTables' | 'webBackupBusy', detail: string) => {
        await audit(c, { action: 'backup.restore', target, outcome: 'refused', detail });
        return refuse(c, status, key);
      };
      if (!DATABASE_NAME.test(database) || RESERVED.test(database)) return refused(400, 'webBackupBadName', 'not a valid database name');
      await backups.files.find(job, file.destination, file.name);
      if (backups.restores.running(database)) return refused(409, 'webBackupBusy', 'a restore into it is running');
      const tables = await backups.files.tables(job, database);
      if (tables) return refused(409, 'webBackupHasTables', `it has ${tables} tables`);
      const task = backups.restores.start(job, file.destination, file.name, database, (done) => {
        void audit(c, { action: 'backup.restore', target, outcome: done.stage === 'done' ? 'ok' : 'failed',
          detail: done.result ? `${done.result.tables} tables, ${done.result.rows} rows` : scrubbed(done.error ?? '') }).catch(() => undefined);
      });
      return c.redirect(`${consoleHref(job.id)}/pulihkan/${task.id}`, 303);
    });
  });

  const taskOf = (c: WebContext): RestoreTask | null => {
    const task = backups.restores.get(c.req.param('id') ?? '');
    return task && task.job === c.req.param('job') ? { ...task, error: task.error && scrubbed(task.error), ...(task.errorId ? { errorId: scrubbed(task.errorId) } : {}) } : null;
  };

  app.get('/backup/:job/pulihkan/:id', allow('owner', 'backup.restore-progress'), (c) => {
    const task = taskOf(c);
    if (!task) return refuse(c, 404, 'webBackupNoTask');
    return c.html(html`<!doctype html>${<RestorePage viewer={pageViewer(c)} task={task} zone={deps.zone} />}`);
  });

  app.get('/api/backup/:job/restores/:id', allow('owner', 'backup.restore-progress'), (c) => {
    const task = taskOf(c);
    return task ? c.json(task) : refuse(c, 404, 'webBackupNoTask');
  });

  app.get('/backup/:job/hapus', allow('owner', 'backup.delete'), (c) => onFile(c, c.req.query(), null, async (job, file) => {
    const { destination } = await backups.files.find(job, file.destination, file.name);
    const decision = (await backups.files.retention(job))[file.destination]?.decisions.find((d) => d.name === file.name);
    return c.html(html`<!doctype html>${<DeletePage viewer={pageViewer(c)} job={job.id} destination={file.destination} where={destination}
      file={file.name} keptFor={decision?.action === 'keep' ? decision.reasons : null} />}`);
  }));

  app.post('/backup/:job/hapus', allow('owner', 'backup.delete'), async (c) => {
    const form = await c.req.parseBody();
    return onFile(c, form, 'backup.delete', async (job, file) => {
      const target = `${job.id}/${file.name}`;
      if (form.konfirmasi !== 'ya') {
        await audit(c, { action: 'backup.delete', target, outcome: 'refused', detail: 'not confirmed' });
        return refuse(c, 400, 'webBackupNotConfirmed');
      }
      try {
        await backups.files.remove(job, file.destination, file.name);
      } catch (err) {
        if (err instanceof NoSuchBackupFile) throw err;
        await audit(c, { action: 'backup.delete', target, outcome: 'failed', detail: scrubbed(describeError(err)) });
        throw err;
      }
      await audit(c, { action: 'backup.delete', target, outcome: 'ok', detail: `from destination ${file.destination}` });
      return c.redirect(consoleHref(job.id), 303);
    });
  });

  return app;
}
