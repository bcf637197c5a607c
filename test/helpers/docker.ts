import type Docker from 'dockerode';

/** The image docker/postgres-image/build.sh makes from this machine's PostgreSQL 15. */
export const TEST_IMAGE = process.env.TOKOBOT_PG_IMAGE ?? 'tokobot/postgres:15-local';

/** Why Docker suites must skip here, or undefined; under CI=true a missing Docker is a failure instead. */
export async function dockerSkipReason(docker: Docker): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    await docker.ping();
    await docker.getImage(TEST_IMAGE).inspect().catch(() => { reason = `image ${TEST_IMAGE} missing (run docker/postgres-image/build.sh)`; });
  } catch (err) {
    reason = `no Docker Engine (${(err as Error).message}); run docker/dockerd-up.sh`;
  }
  if (reason && process.env.CI === 'true') throw new Error(reason);
  return reason;
}

export async function removeContainer(docker: Docker, name: string, volume?: string): Promise<void> {
  await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
  if (volume) await docker.getVolume(volume).remove().catch(() => undefined);
}
