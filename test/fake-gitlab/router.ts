import type { Reply } from './http';

export type Handler<C> = (ctx: C, params: Record<string, string>) => Promise<Reply> | Reply;

interface Route<C> {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler<C>;
  enabled: () => boolean;
}

/**
 * Routes written like GitLab's: `:name` is one path segment, `:name#` digits only, `*name` the rest of the
 * path (slashes included). Each parameter is percent-decoded segment by segment, so a project path sent as
 * `demo-group%2Fdemo-app` arrives as `demo-group/demo-app`. HEAD is served by the GET route.
 */
export class Router<C> {
  private readonly routes: Route<C>[] = [];

  add(method: string, template: string, handler: Handler<C>, enabled: () => boolean = () => true): void {
    const names: string[] = [];
    const source = template.replace(/([:*])(\w+)(#?)/g, (_match, kind: string, name: string, digits: string) => {
      names.push(name);
      if (kind === '*') return '(.+?)';
      return digits ? '(\\d+)' : '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler, enabled });
  }

  match(method: string, path: string): { handler: Handler<C>; params: Record<string, string> } | 'method-not-allowed' | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found || !route.enabled()) continue;
      pathMatched = true;
      if (route.method !== wanted) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = (found[i + 1] ?? '').split('/').map(decodeSegment).join('/');
      });
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
