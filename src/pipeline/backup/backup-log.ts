// The run log moved to src/store/backup-log.ts (issue 12); these names stay importable from here
// until the files of other lanes import them from there.
export type { BackupLog, BackupRun, BackupRunDetails, BackupStatus, DeliveredCopy, Verification } from '../../store/backup-log.ts';
