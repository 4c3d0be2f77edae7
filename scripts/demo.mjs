// `npm run demo`: the extension against a fake GitLab whose pipelines really run, in VS Code in the browser.
// The session itself (build, fake GitLab, simulated runner, code-server signed in) is startDemo() in
// demoSession.mjs, shared with `npm run screenshots`. Prints the URL to open; Ctrl-C stops it all.
//
//   DEMO_PORT          code-server's port (default 8080; 0 picks a free one)
//   DEMO_GITLAB_PORT   the fake GitLab's port (default: a free one)
import { DEMO_PROJECT, startDemo } from './demoSession.mjs';

const demo = await startDemo({
  port: process.env.DEMO_PORT === undefined ? 8080 : Number(process.env.DEMO_PORT),
  gitlabPort: Number(process.env.DEMO_GITLAB_PORT ?? 0),
});

console.log(`
GitLab CI Lens demo is running.

  Open VS Code:   ${demo.workbenchUrl}
  Fake GitLab:    ${demo.gitlabUrl}  (project ${DEMO_PROJECT}, signed in as maria)

Click the GitLab CI icon in the activity bar. A simulated runner is running pipeline jobs on main; a new
pipeline starts whenever the last one is done. Press Ctrl-C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await demo.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
