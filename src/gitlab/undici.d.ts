// Types for the deep imports of undici the client uses. Its package has no "exports" map, so these paths
// resolve; importing the package's index instead bundles all of undici (fetch, WebSocket, caches, mocks).
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  /** `Dispatcher.prototype.request` on its own: call it with the dispatcher as `this`. */
  function request<TOpaque = null>(this: Dispatcher, options: Dispatcher.RequestOptions<TOpaque>): Promise<Dispatcher.ResponseData<TOpaque>>;
  export = request;
}

declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/dispatcher/proxy-agent.js' {
  import { ProxyAgent } from 'undici';
  export = ProxyAgent;
}

declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici';
  export = Pool;
}

declare module 'undici/lib/api/api-connect.js' {
  import type { Dispatcher } from 'undici';
  /** `Dispatcher.prototype.connect` on its own (the deep imports leave the prototype without it). */
  function connect<TOpaque = null>(this: Dispatcher, options: Dispatcher.ConnectOptions<TOpaque>): Promise<Dispatcher.ConnectData<TOpaque>>;
  export = connect;
}
