/**
 * Git remote URLs → the GitLab project they point at. Handles `https://host[:port]/group/sub/project(.git)`,
 * `ssh://git@host[:port]/group/project.git`, scp-like `git@host:group/project.git`, and instances that live
 * under a path (`https://host/gitlab/group/project`) when that instance is known.
 */
export interface GitRemote {
  /** Host name without port, lower case. */
  host: string;
  /** The HTTP(S) port when the remote is HTTP(S) and names one. SSH ports say nothing about the web port. */
  httpPort?: string;
  protocol: 'https' | 'http' | 'ssh';
  /** Everything after the host: `group/sub/project` (or `gitlab/group/project` when the instance has a path). */
  path: string;
}

export interface ResolvedProject {
  instanceUrl: string;
  projectPath: string;
}

export function parseGitRemote(remoteUrl: string): GitRemote | undefined {
  const text = remoteUrl.trim();
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)\/?(.+)$/.exec(text);
  if (scpLike && scpLike[1].length > 1 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return make('ssh', scpLike[1], undefined, scpLike[2]);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (scheme === 'https' || scheme === 'http') return make(scheme, url.hostname, url.port || undefined, decodeURIComponent(url.pathname));
  if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git') return make('ssh', url.hostname, undefined, decodeURIComponent(url.pathname));
  return undefined;
}

function make(protocol: GitRemote['protocol'], host: string, httpPort: string | undefined, rawPath: string): GitRemote | undefined {
  const path = rawPath.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').replace(/\/+$/, '');
  if (!host || !path.includes('/')) return undefined; // a GitLab project lives in at least one namespace
  return { host: host.toLowerCase().replace(/^\[|\]$/g, ''), httpPort, protocol, path };
}

/**
 * Which of the known instances a remote belongs to, and the project path on it. The instance's host must
 * match; an instance under a path (`https://host/gitlab`) claims only remotes under that path. The longest
 * match wins. Without a known instance, the remote's own host is taken as one (HTTPS unless it said HTTP).
 */
export function resolveProject(remote: GitRemote, knownInstanceUrls: readonly string[] = []): ResolvedProject | undefined {
  let best: { instanceUrl: string; prefix: string } | undefined;
  for (const instanceUrl of knownInstanceUrls) {
    let instance: URL;
    try {
      instance = new URL(instanceUrl);
    } catch {
      continue;
    }
    if (instance.hostname.toLowerCase() !== remote.host) continue;
    if (remote.protocol !== 'ssh' && remote.httpPort !== undefined && instance.port !== remote.httpPort) continue;
    const prefix = instance.pathname.replace(/^\/+|\/+$/g, '');
    if (prefix && !remote.path.startsWith(prefix + '/')) continue;
    if (!best || prefix.length > best.prefix.length) best = { instanceUrl: instance.origin + (prefix ? '/' + prefix : ''), prefix };
  }
  if (best) {
    const projectPath = best.prefix ? remote.path.slice(best.prefix.length + 1) : remote.path;
    return projectPath.includes('/') ? { instanceUrl: best.instanceUrl, projectPath } : undefined;
  }
  const scheme = remote.protocol === 'http' ? 'http' : 'https';
  const port = remote.httpPort ? `:${remote.httpPort}` : '';
  return { instanceUrl: `${scheme}://${remote.host}${port}`, projectPath: remote.path };
}
