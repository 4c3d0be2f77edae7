// Peak-memory measures run in a fresh child process each, so one measure's garbage never counts toward another.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The kernel's high-water mark of resident memory; elsewhere the highest of frequent samples. */
export function peakRssTracker(): () => number {
  const fromKernel = (): number | undefined => {
    try {
      const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      return kib === undefined ? undefined : Number(kib) * 1024;
    } catch {
      return undefined;
    }
  };
  if (fromKernel() !== undefined) return () => fromKernel() ?? 0;
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  timer.unref();
  return () => Math.max(peak, process.memoryUsage.rss());
}

/** Forks `script`, sends it `job`, and resolves with the one report it sends back before exiting 0. */
export function runMeasuredChild<Job extends { mode: string }, Report>(script: string, job: Job): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = fork(script, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: Report | undefined;
    child.once('message', (message: Report) => (report = message));
    child.once('error', reject);
    child.once('exit', (code) => (report && code === 0 ? resolve(report) : reject(new Error(`the ${job.mode} child exited with ${code}`))));
    child.send(job);
  });
}
