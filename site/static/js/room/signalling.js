// The HTTP long-poll signalling transport of the video room (/api/video). The room token travels
// in the X-Room-Token header only (never in a URL or in storage). One poll outstanding at a time;
// the messages are handed on in order. On 401 room_token_expired the page's renewToken() fetches a
// fresh token and the request is retried once.

import { fetchJson } from './http.js';

const BASE = '/api/video';

/**
 * createSignalling({token, authHeaders(method), renewToken, onEnded, onError}) ->
 * {join(), listen(onMessage), send(msg), leave(end), stop()}.
 * onEnded(): the consultation was ended (an `ended` answer, or 409 video_ended).
 * onError(err): polling stopped on another refusal (4xx).
 */
export function createSignalling({ token, authHeaders = () => ({}), renewToken = null, onEnded = () => {},
  onError = () => {} }) {
  let current = token;
  let stopped = false;
  let waitSeconds = 20;
  let poll = null; // the AbortController of the outstanding poll
  let queue = Promise.resolve();

  async function request(method, path, body, { retry = true, signal, keepalive } = {}) {
    const headers = { ...authHeaders(method), 'X-Room-Token': current };
    try {
      return await fetchJson(`${BASE}${path}`, { method, headers, body, signal, keepalive });
    } catch (err) {
      if (retry && renewToken && err.status === 401 && err.error === 'room_token_expired') {
        current = await renewToken();
        return request(method, path, body, { retry: false, signal, keepalive });
      }
      throw err;
    }
  }

  function stop() {
    stopped = true;
    if (poll) poll.abort();
  }

  const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  async function loop(onMessage) {
    while (!stopped) {
      poll = new AbortController();
      try {
        const answer = await request('GET', `/messages?wait=${waitSeconds}`, undefined, { signal: poll.signal });
        if (stopped) return;
        for (const message of (answer && answer.messages) || []) {
          queue = queue.then(() => onMessage(message)).catch(() => {});
        }
        if (answer && answer.ended) {
          stopped = true;
          queue.then(onEnded);
          return;
        }
      } catch (err) {
        if (stopped || (err && err.name === 'AbortError')) return;
        if (err.status === 409 && err.error === 'video_ended') {
          stopped = true;
          queue.then(onEnded);
          return;
        }
        if (err.status >= 400 && err.status < 500) {
          stopped = true;
          onError(err);
          return;
        }
        await pause(2000); // no answer or a server error: try again
      }
    }
  }

  return {
    /** POST /join: {role, peer_present, ice_servers, wait_seconds}. */
    async join() {
      stopped = false;
      const answer = await request('POST', '/join', {});
      if (answer && answer.wait_seconds) waitSeconds = Math.max(0, Math.min(20, answer.wait_seconds));
      return answer;
    },
    /** Start long-polling; each message goes to onMessage (awaited in order). */
    listen(onMessage) {
      loop(onMessage);
    },
    /** The call's transport: an offer, answer or candidates message. */
    send: (message) => request('POST', '/messages', message),
    /** Stop polling and POST /leave ({end: true} ends the consultation: the practitioner's red button). */
    leave(end = false, { keepalive = false } = {}) {
      stop();
      return request('POST', '/leave', { end }, { keepalive });
    },
    stop,
  };
}
