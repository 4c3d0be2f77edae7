// The parts of undici the client uses (deep imports: types in undici.d.ts; the package's index would bring
// all of undici, fetch and WebSocket included). The build ships this module as dist/http.js beside the
// bundles, which load it with the first request (client.ts): activation never compiles it.
export { default as request } from 'undici/lib/api/api-request.js';
export { default as Agent } from 'undici/lib/dispatcher/agent.js';
export { default as ProxyAgent } from 'undici/lib/dispatcher/proxy-agent.js';
export { default as Pool } from 'undici/lib/dispatcher/pool.js';
export { default as connect } from 'undici/lib/api/api-connect.js';
