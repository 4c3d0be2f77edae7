// python-gitlab's CLI (Debian's gitlab-cli: the `python-gitlab` command, `gitlab` upstream), the baseline for
// listing and downloading. Pointed at the fake by a config file; timed and weighed by a small Python parent.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface CliRun {
  readonly ms: number;
  readonly peakRssBytes: number;
}

export interface PythonGitlab {
  readonly version: string;
  /** Runs `python-gitlab <args>` with stdout going to `outFile`; fails when the command does. */
  run(args: readonly string[], outFile: string): Promise<CliRun>;
}

const run = promisify(execFile);
// Debian's package runs on the system interpreter, which is therefore always there with it.
const SYSTEM_PYTHON = '/usr/bin/python3';
const COMMANDS = ['/usr/bin/python-gitlab', '/usr/bin/gitlab'];

// Wall time and the child's peak RSS (ru_maxrss, KiB on Linux), measured around the command alone.
const MEASURING_PARENT = `
import resource, subprocess, sys, time
started = time.monotonic()
with open(sys.argv[1], 'wb') as out:
    code = subprocess.run(sys.argv[2:], stdout=out).returncode
print(round((time.monotonic() - started) * 1000, 1), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code)
`;

/** The CLI configured for one instance and token, or undefined when it is not installed. */
export async function pythonGitlab(instanceUrl: string, token: string, configDir: string): Promise<PythonGitlab | undefined> {
  const command = COMMANDS.find((candidate) => existsSync(candidate));
  if (!command || !existsSync(SYSTEM_PYTHON)) return undefined;
  const configFile = join(configDir, 'python-gitlab.cfg');
  await writeFile(configFile, `[global]\ndefault = fake\ntimeout = 120\n\n[fake]\nurl = ${instanceUrl}\nprivate_token = ${token}\napi_version = 4\n`);
  const version = (await run(command, ['--version'])).stdout.trim();
  return {
    version: `python-gitlab ${version}`,
    async run(args, outFile) {
      const { stdout } = await run(SYSTEM_PYTHON, ['-c', MEASURING_PARENT, outFile, command, '-c', configFile, ...args], { maxBuffer: 1024 * 1024 });
      const [ms, peakRssBytes, code] = stdout.trim().split(/\s+/).map(Number);
      if (code !== 0) throw new Error(`python-gitlab ${args.join(' ')} exited with ${code}`);
      return { ms, peakRssBytes };
    },
  };
}
