import type Docker from 'dockerode';

/** The image docker/postgres-image/build.sh makes from this machine's PostgreSQL 15. */
export const TEST_IMAGE = process.env.TOKOBOT_PG_IMAGE ?? 'tokobot/postgres:15-local';

/** Why Docker suites must skip here, or undefined; under CI=true a missing Docker is a failure instead. */
export async function dockerSkipReason(docker: Docker): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    await docker.ping();
    await removeStaleTestContainers(docker);
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

/**
 * Removes test containers (and their volumes) whose test process is gone: a run that was killed
 * leaves its container restarting on the host network, where it holds the port the next run needs.
 */
export async function removeStaleTestContainers(docker: Docker): Promise<void> {
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  for (const c of await docker.listContainers({ all: true })) {
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    const pid = Number(/^tokobot-test-.*?-(\d+)(?:-|$)/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) await removeContainer(docker, name, c.Mounts.find((m) => m.Type === 'volume')?.Name);
  }
}
