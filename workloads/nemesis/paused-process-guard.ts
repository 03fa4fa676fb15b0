/**
 * Last-resort safety for SIGSTOP faults: if this process exits (an error, Ctrl-C twice)
 * while it has nodes frozen, they are sent SIGCONT on the way out, so no stopped server is
 * left holding ports and memory. The normal path resumes them long before.
 */
const paused = new Set<number>();
let hooked = false;

function resumeAll(): void {
  for (const pid of paused) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  paused.clear();
}

export function guardPausedProcess(pid: number): void {
  paused.add(pid);
  if (!hooked) {
    hooked = true;
    process.on('exit', resumeAll);
  }
}

export function releasePausedProcess(pid: number): void {
  paused.delete(pid);
}

/** Pids currently guarded (tests). */
export function guardedPausedProcesses(): number[] {
  return [...paused];
}
