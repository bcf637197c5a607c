import { formatTime } from '../i18n/format-time.ts';
import { t, type Lang } from '../i18n/text.ts';
import { number, size } from '../i18n/format-number.ts';
import { placeText } from '../i18n/destination-words.ts';
import { reasonsText } from '../i18n/retention-words.ts';
import type { CheckResult, ConsoleFile, JobFiles } from '../pipeline/backup/backup-console.ts';
import type { DestinationPlace } from '../pipeline/backup/ports.ts';
import type { PruneReason, PruneResult } from '../pipeline/backup/prune.ts';
import type { RestoreTask } from '../pipeline/backup/restore-tasks.ts';
import type { RestoreCheck, Verification } from '../store/backup-log.ts';
import { restoreCheckDetail } from '../i18n/restore-check-words.ts';
import { Csrf, Layout, type PageViewer } from './pages.tsx';
import { atLeast } from './web-env.ts';

/**
 * The backup console's pages. What a role may not use is not rendered at all: admins get no
 * download, restore or delete controls (the routes refuse them anyway). Every value is escaped by
 * Hono's JSX; file names, destinations and error texts are data.
 */
const STYLE = `
main.console{padding:1rem;display:grid;gap:.8rem;max-width:60rem}
.console h2{font-size:1rem;margin:0 0 .4rem}.console h3{font-size:.95rem;margin:0 0 .3rem;overflow-wrap:anywhere}
.console ul{margin:.3rem 0;padding-left:1.1rem}.console li{margin:.2rem 0;overflow-wrap:anywhere}
code{font-size:.8rem;overflow-wrap:anywhere;word-break:break-all}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.5rem;align-items:center}
.actions a,.actions button{font-size:.85rem;padding:.25rem .6rem;border:1px solid #8a94a6;border-radius:.3rem;background:#fff;color:#1d2330;text-decoration:none}
.restore{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.5rem;align-items:end}.restore label{display:grid;font-size:.8rem;gap:.1rem}
.restore input,.restore select{font-size:.9rem;padding:.2rem;max-width:100%}
.ok{color:#1b5e20}.bad{color:#a31515}.warn{background:#fff8e1;padding:.5rem;border-radius:.3rem}
.stages li.now{font-weight:700}.stages li.done{color:#5b6475}
`;

const time = (d: Date, zone: string, lang: Lang) => formatTime(d, zone, lang);

/**
 * A verification (the run's own, or "verify now") from its counts, in the reader's language; an
 * error, or an old run-log row without counts, is shown as recorded.
 */
function verificationText(lang: Lang, v: Pick<Verification, 'ok' | 'detail' | 'tables' | 'rows'> & Pick<CheckResult, 'expected' | 'detailId'>): string {
  if (v.tables === undefined || v.rows === undefined) return inLang(lang, v.detail, v.detailId);
  const counts = { tables: number(v.tables, lang), rows: number(v.rows, lang) };
  if (v.ok) return t(lang, 'webBackupScratchCounts', counts);
  if (!v.expected) return v.detail;
  return t(lang, 'webBackupCountsDiffer', { ...counts, wasTables: number(v.expected.tables ?? 0, lang), wasRows: number(v.expected.rows ?? 0, lang) });
}

/** An error's text in the reader's language: the Indonesian one when the error has it, else the English one. */
const inLang = (lang: Lang, en: string, id: string | undefined) => (lang === 'id' && id ? id : en);

export const consoleHref = (job: string) => `/backup/${encodeURIComponent(job)}`;
const fileQuery = (destination: number, name: string) => `tujuan=${destination}&berkas=${encodeURIComponent(name)}`;

/** The run's per-table restore check: its summary, and every table's rows folded away (iPOS has about 300). */
function RestoreCheckRows(props: { check: RestoreCheck; lang: Lang }) {
  const { check, lang } = props;
  const count = (n: number | null) => (n === null ? '-' : number(n, lang));
  return (
    <>
      <dt>{t(lang, 'restoreCheckTitle')}</dt>
      <dd class={check.mismatches ? 'bad' : check.notMade ? '' : 'ok'} data-restore-check>
        {restoreCheckDetail(check, lang)}
        {check.tables.length > 0 && (
          <details><summary>{t(lang, 'restoreCheckTables')}</summary>
            <table>
              <tr><th>{t(lang, 'restoreCheckTable')}</th><th>{t(lang, 'restoreCheckSource')}</th><th>{t(lang, 'restoreCheckRestored')}</th></tr>
              {check.tables.map((r) => <tr class={r.source !== r.restored ? 'bad' : ''} data-table={r.table}><td>{r.table}</td><td>{count(r.source)}</td><td>{count(r.restored)}</td></tr>)}
            </table>
          </details>
        )}
      </dd>
    </>
  );
}

function FileCard(props: { job: string; file: ConsoleFile; destinations: string[]; viewer: PageViewer; zone: string }) {
  const { file, viewer, job } = props;
  const { lang } = viewer;
  const role = viewer.who?.role ?? 'staff';
  const checked = file.checked;
  return (
    <section class="card" data-file={file.name}>
      <h3>{file.name}</h3>
      <dl>
        <dt>{t(lang, 'webBackupSize')}</dt><dd>{size(file.bytes ?? file.copies[0]?.size ?? 0, lang)}</dd>
        <dt>{t(lang, 'webBackupSha')}</dt><dd><code data-sha256>{file.sha256 ?? t(lang, 'webBackupNotRecorded')}</code></dd>
        <dt>{t(lang, 'webBackupVerification')}</dt>
        <dd class={file.verification ? (file.verification.ok ? 'ok' : 'bad') : ''}>{file.verification ? verificationText(lang, file.verification) : t(lang, `webBackupKind_${file.kind}`)}</dd>
        {file.verification?.restoreCheck && <RestoreCheckRows check={file.verification.restoreCheck} lang={lang} />}
        {checked && <><dt>{t(lang, 'webBackupChecked')}</dt>
          <dd class={checked.ok ? 'ok' : 'bad'} data-checked>{t(lang, checked.ok ? 'webBackupCheckOk' : 'webBackupCheckFailed', { time: time(checked.at, props.zone, lang), detail: verificationText(lang, checked) })}</dd></>}
        <dt>{t(lang, 'webBackupWhere')}</dt>
      </dl>
      <ul>
        {file.copies.map((c) => (
          <li data-copy={c.destination}>
            {props.destinations[c.destination]} · {size(c.size, lang)}
            <div class="actions">
              {atLeast(role, 'owner') && <a href={`${consoleHref(job)}/unduh?${fileQuery(c.destination, file.name)}`} download={file.name}>{t(lang, 'webBackupDownload')}</a>}
              <form method="post" action={`${consoleHref(job)}/verifikasi`} class="inline">
                <Csrf viewer={viewer} /><input type="hidden" name="tujuan" value={String(c.destination)} /><input type="hidden" name="berkas" value={file.name} />
                <button>{t(lang, 'webBackupVerify')}</button>
              </form>
              {atLeast(role, 'owner') && <a href={`${consoleHref(job)}/hapus?${fileQuery(c.destination, file.name)}`}>{t(lang, 'webBackupDelete')}</a>}
            </div>
          </li>
        ))}
      </ul>
      {atLeast(role, 'owner') && (
        <form method="post" action={`${consoleHref(job)}/pulihkan`} class="restore">
          <Csrf viewer={viewer} /><input type="hidden" name="berkas" value={file.name} />
          {file.copies.length > 1
            ? <label>{t(lang, 'webBackupFrom')}<select name="tujuan">{file.copies.map((c) => <option value={String(c.destination)}>{props.destinations[c.destination]}</option>)}</select></label>
            : <input type="hidden" name="tujuan" value={String(file.copies[0]?.destination ?? 0)} />}
          <label>{t(lang, 'webBackupDatabase')}<input name="database" required pattern="[a-z][a-z0-9_]{0,62}" maxlength={63} autocomplete="off" /></label>
          <button>{t(lang, 'webBackupRestore')}</button>
        </form>
      )}
    </section>
  );
}

function Retention(props: { results: PruneResult[]; lang: Lang }) {
  const { lang } = props;
  return (
    <section class="card" data-retention>
      <h2>{t(lang, 'webBackupRetention')}</h2>
      {props.results.map((r) => (
        <>
          <h3>{placeText(lang, { description: r.destination, place: r.place })}</h3>
          {r.error && <p class="bad">{t(lang, 'webBackupDestError', { error: r.error })}</p>}
          {!r.error && !r.decisions.length && <p>{t(lang, 'webBackupNothingToPrune')}</p>}
          <ul>{r.decisions.map((d) => <li data-decision={d.action}><b class={d.action === 'delete' ? 'bad' : ''}>{t(lang, `webBackupAction_${d.action}`)}</b> {d.name}: {reasonsText(lang, d.reasons)}</li>)}</ul>
        </>
      ))}
    </section>
  );
}

export function BackupConsolePage(props: { viewer: PageViewer; job: string; data: JobFiles; retention: PruneResult[]; zone: string }) {
  const { lang } = props.viewer;
  const { stats, destinations, files } = props.data;
  const descriptions = destinations.map((d) => placeText(lang, d));
  return (
    <Layout viewer={props.viewer} title={t(lang, 'webBackupTitle', { job: props.job })} style={STYLE}>
      <main class="console">
        <section class="card" data-stats>
          <h2>{t(lang, 'webBackupStats')}</h2>
          <p>{t(lang, 'webBackupStatsLine', { files: number(stats.files, lang), copies: number(stats.copies, lang), size: size(stats.bytes, lang) })}</p>
          <ul>{Object.entries(stats.byKind).map(([kind, k]) => <li>{t(lang, 'webBackupKindLine', { kind: t(lang, `webBackupKind_${kind as ConsoleFile['kind']}`), files: number(k.files, lang), size: size(k.bytes, lang) })}</li>)}</ul>
          <h2>{t(lang, 'webBackupDestinations')}</h2>
          <ul>{destinations.map((d) => <li data-destination={d.index}>{placeText(lang, d)}: {d.error ? <span class="bad">{t(lang, 'webBackupDestError', { error: inLang(lang, d.error, d.errorId) })}</span> : t(lang, 'webBackupDestLine', { files: number(d.files, lang), size: size(d.bytes, lang) })}</li>)}</ul>
        </section>
        <h2>{t(lang, 'webBackupFiles')}</h2>
        {files.length ? files.map((f) => <FileCard job={props.job} file={f} destinations={descriptions} viewer={props.viewer} zone={props.zone} />) : <p>{t(lang, 'webBackupNoFiles')}</p>}
        <Retention results={props.retention} lang={lang} />
      </main>
    </Layout>
  );
}

const STAGES = ['fetch', 'check', 'load', 'count'] as const;

/** A restore's progress: reloads itself every few seconds until it ends. */
export function RestorePage(props: { viewer: PageViewer; task: RestoreTask; zone: string }) {
  const { lang } = props.viewer;
  const { task } = props;
  const now = STAGES.indexOf(task.stage as (typeof STAGES)[number]);
  const ended = task.stage === 'done' || task.stage === 'failed';
  return (
    <Layout viewer={props.viewer} title={t(lang, 'webBackupRestoreTitle', { file: task.file })} refreshSeconds={ended ? undefined : 2} style={STYLE}>
      <main class="console">
        <section class="card" data-restore={task.stage}>
          <h2>{t(lang, 'webBackupRestoreTitle', { file: task.file })}</h2>
          <p>{t(lang, 'webBackupRestoreInto', { database: task.database, time: time(task.startedAt, props.zone, lang) })}</p>
          <ol class="stages">{STAGES.map((s, i) => {
            const passed = task.stage === 'done' || i < now;
            return <li class={passed ? 'done' : i === now ? 'now' : ''}>{passed ? '✓ ' : ''}{t(lang, `webBackupStage_${s}`)}</li>;
          })}</ol>
          {task.stage === 'done' && task.result && <p class="ok" data-result>{t(lang, 'webBackupRestored', { tables: number(task.result.tables, lang), rows: number(task.result.rows, lang), database: task.database })}</p>}
          {task.stage === 'failed' && <p class="bad" data-result>{t(lang, 'webBackupRestoreFailed', { error: inLang(lang, task.error ?? '', task.errorId) })}</p>}
          {!ended && <p>{t(lang, 'webBackupRefreshing')}</p>}
          <p><a href={consoleHref(task.job)}>{t(lang, 'webBackupBack')}</a></p>
        </section>
      </main>
    </Layout>
  );
}

/** The confirmation step of a delete: names the file and where it is, and warns when retention keeps it. */
export function DeletePage(props: { viewer: PageViewer; job: string; destination: number; where: { description: string; place?: DestinationPlace | undefined }; file: string; keptFor: PruneReason[] | null }) {
  const { lang } = props.viewer;
  return (
    <Layout viewer={props.viewer} title={t(lang, 'webBackupDeleteTitle', { file: props.file })} style={STYLE}>
      <main class="console">
        <section class="card">
          <h2>{t(lang, 'webBackupDeleteTitle', { file: props.file })}</h2>
          <p>{t(lang, 'webBackupDeleteWhere', { destination: placeText(lang, props.where) })}</p>
          {props.keptFor && <p class="warn" data-kept>{t(lang, 'webBackupDeleteKept', { reasons: reasonsText(lang, props.keptFor) })}</p>}
          <form method="post" action={`${consoleHref(props.job)}/hapus`} class="actions">
            <Csrf viewer={props.viewer} /><input type="hidden" name="tujuan" value={String(props.destination)} /><input type="hidden" name="berkas" value={props.file} />
            <input type="hidden" name="konfirmasi" value="ya" />
            <button>{t(lang, 'webBackupDeleteConfirm')}</button>
            <a href={consoleHref(props.job)}>{t(lang, 'webBackupCancel')}</a>
          </form>
        </section>
      </main>
    </Layout>
  );
}
