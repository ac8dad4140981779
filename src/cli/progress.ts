import cliProgress from "cli-progress";

const running = new Set<cliProgress.SingleBar>();

/** Stop every bar still running: a job that failed half-way must not leave its redraw timer keeping the process alive. */
export function stopProgressBars(): void {
  for (const bar of running) bar.stop();
  running.clear();
}

/** A progress bar on stderr for every long job; on a non-terminal it prints a line every few seconds. */
export function progressBar(label: string): { update(done: number, total: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 3000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        running.add(bar);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
      running.delete(bar);
    },
  };
}
