/**
 * Test hook for crash tests: with TOKOBOT_TEST_KILL_AT=<point> in its environment the process
 * kills itself with SIGKILL (as kill -9 or a power cut would) when it reaches that point, so a
 * test can check what the next run finds. Points: after-dump (backup job: dumped, not yet
 * delivered), mid-upload (a destination: temporary file started), before-rename (a destination:
 * temporary file complete and checked), mid-verify (a PostgreSQL job: restored into its scratch
 * database, not yet counted), after-rename (backup job: a destination holds the file
 * under its final name, the run log does not know yet); publish:before-commit, publish:committed
 * and publish:file-in-place (a sync's publication: see publish.ts); sync:restored (a sync: its staging database
 * restored, nothing published). Without the variable it does nothing.
 * Read here and nowhere else; it is not a setting, so it is not in the config schema.
 */
export function killPoint(point: string): void {
  if (process.env.TOKOBOT_TEST_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
}
