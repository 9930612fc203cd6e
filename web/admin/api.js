// The dashboard's only source of data: the server's JSON API (/v1/...),
// protobuf's canonical JSON (lowerCamelCase fields, int64 as strings).
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
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, { error: { code: 'UNAVAILABLE', message: `the server cannot be reached (${error.message})` } });
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
