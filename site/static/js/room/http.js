// JSON over fetch for the video room pages (not api.js: the room loads only what it needs).
// A failed answer becomes a RoomError {status, error, message, field} with the server's message.

import { lang, t } from '../i18n.js';

export class RoomError extends Error {
  constructor({ status, error, message, field = null }) {
    super(message || error);
    this.name = 'RoomError';
    this.status = status;
    this.error = error;
    this.field = field;
  }
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** fetch(path) with JSON in and out; `headers` are added to Accept / Accept-Language / Content-Type. */
export async function fetchJson(path, { method = 'GET', headers = {}, body, signal, keepalive = false } = {}) {
  const init = {
    method,
    headers: { Accept: 'application/json', 'Accept-Language': lang, ...headers },
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
    keepalive,
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new RoomError({
      status: 0, error: 'network', message: t('Fikk ikke kontakt med portalen. Sjekk nettforbindelsen og prøv igjen.'),
    });
  }
  const data = await readJson(response);
  if (response.ok) return data;
  throw new RoomError({
    status: response.status,
    error: (data && data.error) || `http_${response.status}`,
    message: (data && data.message) || t('Noe gikk galt. Prøv igjen senere.'),
    field: data && data.field,
  });
}
