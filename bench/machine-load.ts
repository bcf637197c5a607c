import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Jiffies of every CPU from /proc/stat: busy (user, nice, system, irq, softirq, steal), I/O wait, idle. */
function cpuJiffies(): { busy: number; iowait: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, iowait, total: busy + idle + iowait };
}

/** Milliseconds the busiest block device spent doing I/O (/proc/diskstats io_ticks), per device. */
function ioTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const line of readFileSync('/proc/diskstats', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    // Whole disks only (vda, sda, nvme0n1): partitions would count their disk's time twice.
    if (f.length > 12 && /^(vd|sd|xvd)[a-z]+$|^nvme\d+n\d+$/.test(f[2]!)) ticks.set(f[2]!, Number(f[12]));
  }
  return ticks;
}

/** CPU seconds a process and its reaped children have used (/proc/<pid>/stat utime+stime+cutime+cstime). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // Fields 14-17 of stat (1-based), counted here from field 3.
    return (f[11]! + f[12]! + f[13]! + f[14]!) / 100;
  } catch {
    return 0;
  }
}

export interface Load {
  seconds: number;
  /** Cores busy on average (0..cores), every process on the machine. */
  coresBusy: number;
  /** Share of CPU time idle while waiting for I/O. */
  iowaitShare: number;
  /** Share of the time the busiest disk was doing I/O (0..1). */
  diskBusy: number;
  disk: string;
}

export const CORES = cpus().length;

/** Starts measuring the machine; the returned function ends it and says what was used in between. */
export function measureLoad(): () => Load {
  const t0 = performance.now();
  const c0 = cpuJiffies();
  const d0 = ioTicks();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const c1 = cpuJiffies();
    const total = c1.total - c0.total || 1;
    let disk = '-';
    let busiest = 0;
    for (const [name, ticks] of ioTicks()) {
      const used = ticks - (d0.get(name) ?? ticks);
      if (used >= busiest) [disk, busiest] = [name, used];
    }
    return {
      seconds, coresBusy: ((c1.busy - c0.busy) / total) * CORES, iowaitShare: (c1.iowait - c0.iowait) / total,
      diskBusy: Math.min(1, busiest / (seconds * 1000)), disk,
    };
  };
}

/** The command lines of the running processes, by pid. */
function commandLines(): Map<number, string> {
  const lines = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      lines.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone meanwhile
    }
  }
  return lines;
}

/**
 * CPU seconds used by the processes whose command line `matches` (PostgreSQL backends show their
 * database in it: "postgres: postgres ipos_x …"), sampled every `everyMs`: a process seen first
 * during the measure counts from zero, and what it used after its last sample is missed.
 */
export function trackCpu(matches: (cmdline: string) => boolean, everyMs = 200): () => number {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = (initial: boolean) => {
    for (const [pid, cmdline] of commandLines()) {
      if (!matches(cmdline)) continue;
      const cpu = processCpuSeconds(pid);
      if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
      last.set(pid, cpu);
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), everyMs);
  timer.unref(); // a round that throws never ends the measure
  return () => {
    clearInterval(timer);
    sample(false);
    let total = 0;
    for (const [pid, cpu] of last) total += Math.max(0, cpu - first.get(pid)!);
    return total;
  };
}
