// The ONE module that knows the API's conventions (docs/api.md): same-origin JSON, the session
// cookie, the X-CSRF-Token header on state-changing requests, Accept-Language, JSON errors
// {error, message, field}, and what the site does on 401 / 403 consent_required / step_up_required /
// relation_ended (acting for someone whose access ended: acting.js shows the notice).

import { lang, t } from './i18n.js';
import { showLoginPrompt, showStepUp } from './ui.js';

const SESSION_PATH = '/api/accounts/session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
let actingFor = null; // the session's acting_for (the header's switch), for the answers below

/** An answer from the API that was not a success (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor({ status, error, message, field = null, data = null }) {
    super(message || error);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.field = field || null;
    this.data = data || null; // the whole JSON answer, for errors that carry more (e.g. 409 slot_taken's `next`)
    this.handled = false; // true when this module already showed something for it
  }
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Headers a caller may add (e.g. Idempotency-Key); the conventions' own headers cannot be replaced.
const OWN_HEADERS = new Set(['accept', 'accept-language', 'x-csrf-token', 'content-type']);

async function call(method, path, { body, json = true, contentType = null, headers: extra = null } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang };
  for (const [name, value] of Object.entries(extra || {})) {
    if (!OWN_HEADERS.has(name.toLowerCase()) && value !== undefined && value !== null) headers[name] = String(value);
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    if (json) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    } else {
      if (contentType) headers['Content-Type'] = contentType;
      init.body = body;
    }
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError({
      status: 0,
      error: 'network',
      message: t('Fikk ikke kontakt med portalen. Sjekk nettforbindelsen og prøv igjen.'),
    });
  }
  const data = await readBody(response);
  if (response.ok) return data;
  throw new ApiError({
    status: response.status,
    error: (data && data.error) || `http_${response.status}`,
    message: (data && data.message) || t('Noe gikk galt. Prøv igjen senere.'),
    field: data && data.field,
    data: data && typeof data === 'object' ? data : null,
  });
}

function onSamtykkePage() {
  return document.body.dataset.page === 'samtykke';
}

/** What every page does with these answers, whoever made the request. */
function react(err) {
  if (err.status === 401) {
    csrfToken = null;
    showLoginPrompt({ focus: true });
    err.handled = true;
  } else if (err.status === 403 && err.error === 'relation_ended') {
    // The access to the person chosen in the header's switch ended meanwhile (acting.js says so).
    document.dispatchEvent(new CustomEvent('portal:relation-ended'));
    err.handled = true;
  } else if (err.status === 403 && err.error === 'consent_required' && actingFor && !actingFor.ended) {
    // Acting for someone: the page's own consent was checked at load, so it is theirs that is missing.
    err.message = t('{name} har ikke samtykket til vilkårene i portalen ennå, så du kan ikke se opplysningene til {name} her.',
      { name: actingFor.name || '' });
  } else if (err.status === 403 && err.error === 'consent_required' && !onSamtykkePage()) {
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(`/${lang}/samtykke.html?next=${next}`);
    err.handled = true;
  } else if (err.status === 403 && err.error === 'step_up_required') {
    showStepUp({ focus: true });
    err.handled = true;
  }
  return err;
}

async function request(method, path, options) {
  try {
    return await call(method, path, options);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // A stale CSRF token (the session was rotated in another tab): fetch the current one, retry once.
    if (err.status === 403 && err.error === 'csrf' && UNSAFE.has(method)) {
      try {
        await session();
        return await call(method, path, options);
      } catch (retryErr) {
        throw retryErr instanceof ApiError ? react(retryErr) : retryErr;
      }
    }
    throw react(err);
  }
}

/**
 * A new random UUID (v4) for an `Idempotency-Key` header: make one per attempt of a state change,
 * and send the same one again only when retrying that very attempt.
 */
export function newIdempotencyKey() {
  const cryptoApi = window.crypto;
  if (cryptoApi && typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** GET /api/accounts/session; remembers the CSRF token for later state-changing requests. */
export async function session() {
  const data = (await call('GET', SESSION_PATH)) || { authenticated: false };
  csrfToken = data.authenticated ? data.csrf_token || null : null;
  actingFor = data.authenticated ? data.acting_for || null : null;
  return data;
}

export const api = {
  session,
  newIdempotencyKey,
  /** GET a JSON resource. */
  get: (path) => request('GET', path),
  /**
   * POST/PUT/PATCH/DELETE with an optional JSON body; `options.headers` adds request headers
   * (e.g. `{ 'Idempotency-Key': uuid }`), kept on the one automatic retry after a stale CSRF token.
   */
  send: (method, path, body, options = {}) => request(method.toUpperCase(), path, { body, headers: options.headers }),
  /** PUT a file as the raw request body with the file's own Content-Type. */
  upload: (path, file) => request('PUT', path, { body: file, json: false, contentType: file.type || 'application/octet-stream' }),
  /** POST a file as the raw request body (its own Content-Type), with extra headers (e.g. X-File-Name). */
  postFile: (path, file, options = {}) => request('POST', path, {
    body: file, json: false, contentType: file.type || 'application/octet-stream', headers: options.headers,
  }),
};

export default api;
