import { type Reply, jsonReply } from './http';

export type FaultKind = 'latency' | 'rateLimit' | 'serverError' | 'reset' | 'truncate' | 'html' | 'corruptGzip';

export interface FaultSpec {
  /** Matched against the request path (percent-encoding kept): a RegExp, or a string for the exact path. */
  route: RegExp | string;
  method?: string;
  kind: FaultKind;
  /** How many matching requests it hits (default 1; Infinity for all). */
  times?: number;
  /** Which server it applies to; both by default. */
  origin?: 'api' | 'objectStorage';
  /** latency: delay before responding (default 100). */
  ms?: number;
  /** serverError: 500 (JSON), or 502/503/504 (the HTML page of the proxy in front). Default 500. */
  status?: 500 | 502 | 503 | 504;
  /** rateLimit: seconds in Retry-After (default 60). */
  retryAfter?: number;
  /**
   * reset/truncate: how many body bytes go out before the cut (default half the body). corruptGzip: how many
   * bytes of the body decode before the stream breaks (default half).
   */
  bytes?: number;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** Requests it has hit so far. */
  readonly hits: number;
  remove(): void;
}

interface ActiveFault extends FaultHandle {
  remaining: number;
  hit(): void;
}

/** What a request gets from the faults that match it: a delay, then maybe a fault in place of (or on) the reply. */
export interface FaultPlan {
  delayMs: number;
  fault: FaultSpec | undefined;
}

export class Faults {
  private active: ActiveFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    let hits = 0;
    const fault: ActiveFault = {
      spec,
      remaining: spec.times ?? 1,
      get hits() {
        return hits;
      },
      hit: () => {
        hits++;
        fault.remaining--;
        if (fault.remaining <= 0) fault.remove();
      },
      remove: () => {
        this.active = this.active.filter((f) => f !== fault);
      },
    };
    this.active.push(fault);
    return fault;
  }

  clear(): void {
    this.active = [];
  }

  /** Consumes every matching latency fault and the first matching other fault. */
  take(origin: 'api' | 'objectStorage', method: string, path: string): FaultPlan {
    const matching = this.active.filter((f) =>
      (f.spec.origin === undefined || f.spec.origin === origin)
      && (f.spec.method === undefined || f.spec.method.toUpperCase() === method)
      && (typeof f.spec.route === 'string' ? f.spec.route === path : new RegExp(f.spec.route.source, f.spec.route.flags.replace('g', '')).test(path)));
    let delayMs = 0;
    for (const f of matching.filter((m) => m.spec.kind === 'latency')) {
      delayMs += f.spec.ms ?? 100;
      f.hit();
    }
    const other = matching.find((m) => m.spec.kind !== 'latency');
    other?.hit();
    return { delayMs, fault: other?.spec };
  }
}

/** The reply a fault sends instead of the real one; reset, truncate and corruptGzip mangle the real one instead. */
export function faultReply(fault: FaultSpec, now: number): Reply | undefined {
  switch (fault.kind) {
    case 'rateLimit': {
      const seconds = fault.retryAfter ?? 60;
      const reset = Math.floor(now / 1000) + seconds;
      return {
        status: 429,
        headers: {
          'Content-Type': 'text/plain',
          'Retry-After': String(seconds),
          'RateLimit-Name': 'throttle_authenticated_api',
          'RateLimit-Limit': '2000',
          'RateLimit-Observed': '2001',
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(reset),
          'RateLimit-ResetTime': new Date(reset * 1000).toUTCString(),
        },
        body: Buffer.from('Retry later\n'),
      };
    }
    case 'serverError': {
      const status = fault.status ?? 500;
      if (status === 500) return jsonReply(500, { message: '500 Internal Server Error' });
      return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(proxyErrorPages[status]) };
    }
    case 'html':
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(signInPage) };
    default:
      return undefined;
  }
}

const proxyErrorPages: Record<502 | 503 | 504, string> = {
  502: '<!DOCTYPE html>\n<html>\n<head>\n  <title>GitLab is not responding (502)</title>\n</head>\n<body>\n'
    + '  <h1>502</h1>\n  <h3>Whoops, GitLab is taking too much time to respond.</h3>\n</body>\n</html>\n',
  503: '<!DOCTYPE html>\n<html>\n<head>\n  <title>GitLab is not responding (503)</title>\n</head>\n<body>\n'
    + '  <h1>503</h1>\n  <h3>Whoops, GitLab is taking too much time to respond.</h3>\n</body>\n</html>\n',
  504: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n'
    + '<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};

const signInPage = '<!DOCTYPE html>\n<html class="gl-light" lang="en">\n<head>\n<meta charset="utf-8">\n'
  + '<title>Sign in · GitLab</title>\n</head>\n<body class="login-page">\n'
  + '<form class="new_user" id="new_user" action="/users/sign_in" method="post">\n'
  + '<input type="text" name="user[login]" id="user_login">\n<input type="password" name="user[password]" id="user_password">\n'
  + '<button type="submit">Sign in</button>\n</form>\n</body>\n</html>\n';
