// The dashboard's only source of data: the server's JSON API (/v1/...),
// protobuf's canonical JSON (lowerCamelCase fields, int64 as strings).
// On a server with keys, open the dashboard once as /admin/?key=<admin key>:
// the key is kept in the tab's sessionStorage, dropped from the address and
// sent as "Authorization: Bearer" with every call.
const KEY = 'recommender-dashboard:key';
const params = new URLSearchParams(location.search);
if (params.get('key')) {
  try { sessionStorage.setItem(KEY, params.get('key')); } catch { /* storage off */ }
  params.delete('key');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
}

function apiKey() {
  try { return sessionStorage.getItem(KEY) || ''; } catch { return ''; }
}
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `the server answered HTTP ${status}`);
    this.status = status;
    this.code = error.code || `HTTP_${status}`;
    this.field = error.field || '';
  }
}

export async function call(path, body = {}) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: apiKey()
        ? { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey()}` }
        : { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, { error: { code: 'UNAVAILABLE', message: `the server cannot be reached (${error.message})` } });
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401 && !apiKey()) {
      error.message += ' (open the dashboard as /admin/?key=<admin key>)';
    }
    throw error;
  }
  return json;
}
