import { t, type Lang } from '../i18n/text.ts';
import type { HelloAnswer } from '../pipeline/agents/protocol.ts';
import type { JobFileConfig } from '../config/job-schema.ts';

/** What `tokobot agent enroll` wrote (also its --json output). */
export interface Enrolment {
  file: string;
  url: string;
  store: HelloAnswer['store'];
  /** STORE_TZ here: the zone of the job's schedule. */
  zone: string;
  instance: string;
  instanceKept: boolean;
  job: { id: string; schedule: string | null; database?: string; urlEnv?: string; destinations: JobFileConfig['destinations'] };
  otherJobs: string[];
}

const place = (d: Enrolment['job']['destinations'][number], lang: Lang) =>
  (d.type === 'local' ? t(lang, 'webBackupPlace_folder', { location: d.dir }) : d.type === 'dropbox' ? t(lang, 'webBackupPlace_dropbox', { location: d.folder })
    : t(lang, `webBackupPlace_${d.type === 'ftp' && d.secure ? 'ftps' : d.type}`, { location: `${d.user}@${d.host}/${d.dir.replace(/^\//, '')}` }));

/** What was written, lined up, then the steps left, numbered. */
export function formatEnrolment(e: Enrolment, lang: Lang): string {
  const rows: [string, string][] = [
    [t(lang, 'enrolledFile'), t(lang, 'enrolledFileNote', { file: e.file })],
    [t(lang, 'enrolledInstance'), t(lang, e.instanceKept ? 'instanceKept' : 'instanceNew', { id: e.instance })],
    [t(lang, 'enrolledJob'), e.job.id],
    [t(lang, 'enrolledSchedule'), e.job.schedule ? t(lang, 'scheduleAt', { cron: e.job.schedule, zone: e.zone }) : '-'],
    [t(lang, 'enrolledDatabase'), e.job.urlEnv ? t(lang, 'databaseFromEnv', { name: e.job.urlEnv }) : t(lang, 'databaseGiven', { where: e.job.database ?? '' })],
    [t(lang, 'enrolledDestinations'), e.job.destinations.map((d) => place(d, lang)).join('; ')],
    ...(e.otherJobs.length ? [[t(lang, 'enrolledOtherJobs'), e.otherJobs.join(', ')] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const next = [
    ...(e.job.urlEnv ? [t(lang, 'nextDatabaseUrl', { name: e.job.urlEnv })] : []),
    ...(e.job.destinations.some((d) => d.type === 'dropbox') ? [t(lang, 'nextDropbox')] : []),
    ...(e.store.timeZone !== e.zone ? [t(lang, 'nextTimeZone', { zone: e.store.timeZone, here: e.zone })] : []),
    t(lang, 'nextDoctor'),
    t(lang, 'nextService'),
  ];
  return [
    t(lang, 'enrolled', { store: e.store.id, name: e.store.name, url: e.url }),
    ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`),
    '',
    t(lang, 'nextSteps'),
    ...next.map((step, i) => `  ${i + 1}. ${step}`),
  ].join('\n');
}
