// The practitioner's video room for the local demo: /<lang>/klinikk/videorom.html (not linked from
// the patient site). The clinic credential (key id + secret, HTTP Basic) and the staff id are held
// in memory only. Today's video appointments (GET /api/booking/clinic/video) every 10 s, with a
// "Venter" badge, "<name> venter" in a live region and the count in the document title; "Bli med"
// joins the same room as the patient with the same controls; the red button ends the consultation.

import { formatDate, t } from '../i18n.js';
import { createCall } from './call.js';
import { callView, hideDeviceHelp, showDeviceHelp } from './controls.js';
import * as devices from './devices.js';
import { fetchJson } from './http.js';
import { createSignalling } from './signalling.js';

const $ = (id) => document.getElementById(id);
const LIST = '/api/booking/clinic/video';
const POLL_MS = 10_000;
const STATUS = {
  connecting: 'Kobler til…', connected: 'Tilkoblet', poor: 'Dårlig forbindelse', failed: 'Forbindelsen ble brutt',
};
const baseTitle = document.title;
const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'nb-NO',
  { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit' });

let credential = null; // {keyId, secret, staffId}: memory only
let pollTimer = null;
let waiting = new Set(); // appointment ids with a waiting patient at the last poll
const rows = new Map(); // appointment id -> {li, name, badge, join}
let current = null; // {item, stream, signalling, call}

const alertBox = $('room-alert');
const announcer = $('waiting-announcer');
const view = callView({ onHangup: endConsultation });

function clinicHeaders() {
  return { Authorization: `Basic ${btoa(`${credential.keyId}:${credential.secret}`)}`, 'X-Staff-Id': credential.staffId };
}

function showAlert(message) {
  alertBox.textContent = message;
  alertBox.focus();
}

const clock = (iso) => (iso ? timeFormat.format(new Date(iso)) : '');

function fieldError(input, message) {
  const error = $(`${input.id}-error`);
  error.textContent = message || '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function readForm() {
  const fields = [$('key-id'), $('secret'), $('staff-id')];
  let first = null;
  for (const input of fields) {
    const value = input.value.trim();
    // HTTP Basic needs Latin-1; the demo's keys are plain ASCII
    const bad = !value ? t('Fyll ut feltet.') : (/[^\x20-\x7e]/.test(value) ? t('Bruk bare vanlige tegn (A–Z, 0–9, - og _).') : '');
    fieldError(input, bad);
    if (bad && !first) first = input;
  }
  if (first) {
    first.focus();
    return null;
  }
  return { keyId: fields[0].value.trim(), secret: fields[1].value.trim(), staffId: fields[2].value.trim() };
}

function badgeFor(item) {
  if (item.ended) return { text: t('Avsluttet'), kind: 'ended' };
  if (item.in_call) return { text: t('I samtale'), kind: 'call' };
  if (item.waiting) return { text: t('Venter'), kind: 'waiting' };
  if (!item.open) return { text: t('Ikke åpnet'), kind: 'closed' };
  return null;
}

function row(item) {
  let entry = rows.get(item.id);
  if (!entry) {
    const li = document.createElement('li');
    li.className = 'today-item';
    const when = document.createElement('span');
    when.className = 'today-time';
    const name = document.createElement('span');
    name.className = 'today-name';
    const badge = document.createElement('span');
    badge.className = 'badge';
    const join = document.createElement('button');
    join.type = 'button';
    join.className = 'button button-small';
    join.addEventListener('click', () => joinRoom(rows.get(item.id).item, join));
    li.append(when, name, badge, join);
    entry = { li, when, name, badge, join, item };
    rows.set(item.id, entry);
  }
  entry.item = item;
  const time = `${clock(item.start)}–${clock(item.end)}`;
  entry.when.textContent = time;
  entry.name.textContent = item.patient_name || '';
  const badge = badgeFor(item);
  entry.badge.hidden = !badge;
  entry.badge.textContent = badge ? badge.text : '';
  entry.badge.dataset.kind = badge ? badge.kind : '';
  entry.join.replaceChildren(t('Bli med'), Object.assign(document.createElement('span'), {
    className: 'visually-hidden', textContent: ` ${t('{name} kl. {time}', { name: item.patient_name || '', time: clock(item.start) })}`,
  }));
  entry.join.disabled = !item.open || item.ended || Boolean(current);
  return entry.li;
}

function render(data) {
  const items = (data && data.items) || [];
  $('today-date').textContent = formatDate(data && data.date);
  $('today-empty').hidden = items.length > 0;
  const ids = new Set(items.map((item) => item.id));
  for (const [id, entry] of rows) {
    if (!ids.has(id)) {
      entry.li.remove();
      rows.delete(id);
    }
  }
  $('today-list').replaceChildren(...items.map(row));
  const now = new Set(items.filter((item) => item.waiting && !item.ended).map((item) => item.id));
  const arrived = items.filter((item) => now.has(item.id) && !waiting.has(item.id));
  waiting = now;
  if (arrived.length) announcer.textContent = arrived.map((item) => t('{name} venter', { name: item.patient_name || '' })).join('. ');
  document.title = now.size ? `(${now.size}) ${baseTitle}` : baseTitle;
}

async function refresh() {
  clearTimeout(pollTimer);
  if (!credential) return;
  try {
    render(await fetchJson(LIST, { headers: clinicHeaders() }));
  } catch (err) {
    if (err.status === 401 || err.status === 403) {
      forget();
      showAlert(err.message);
      return;
    }
    // a missed poll: the next one tries again
  }
  if (credential) pollTimer = setTimeout(refresh, POLL_MS);
}

function forget() {
  credential = null;
  clearTimeout(pollTimer);
  rows.clear();
  waiting = new Set();
  $('today-list').replaceChildren();
  document.title = baseTitle;
  $('today').hidden = true;
  $('credentials').hidden = false;
  $('secret').value = '';
}

function onState(state) {
  if (STATUS[state]) view.setStatus(t(STATUS[state]));
  if (state === 'peer-left') {
    view.clearRemote();
    view.setStatus(t('Pasienten har forlatt samtalen. Venter på pasienten.'));
  }
  if (state === 'ended') showEnded(t('Videokonsultasjonen er avsluttet.'));
}

function showEnded(text) {
  if (!current) return;
  const { stream, signalling, call } = current;
  current = null;
  signalling.stop();
  call.close();
  devices.release(stream);
  view.close();
  view.setStatus(t('Samtalen er avsluttet'));
  $('ended-text').textContent = text;
  $('ended').hidden = false;
  $('ended-title').focus();
  refresh();
}

async function postRoom(item) {
  const path = `/api/booking/clinic/appointments/${encodeURIComponent(item.id)}/video`;
  return fetchJson(path, { method: 'POST', headers: clinicHeaders(), body: {} });
}

async function joinRoom(item, button) {
  alertBox.textContent = '';
  hideDeviceHelp();
  button.disabled = true;
  let stream;
  try {
    stream = await devices.open();
  } catch (err) {
    button.disabled = false;
    showDeviceHelp(err.kind || 'other', { retry: false });
    return;
  }
  let room;
  let answer;
  let signalling;
  try {
    room = await postRoom(item);
    signalling = createSignalling({
      token: room.room_token,
      authHeaders: clinicHeaders,
      renewToken: async () => (await postRoom(item)).room_token,
      onEnded: () => showEnded(t('Videokonsultasjonen er avsluttet.')),
      onError: (err) => { showEnded(err.message); },
    });
    answer = await signalling.join();
  } catch (err) {
    devices.release(stream);
    button.disabled = false;
    showAlert(err.message);
    return;
  }
  performance.mark('video-joined');
  const call = createCall({
    role: 'practitioner',
    iceServers: answer.ice_servers || [],
    localStream: stream,
    send: signalling.send,
    onRemoteStream: (remote) => view.showRemote(remote),
    onState,
  });
  current = { item, stream, signalling, call };
  $('today').hidden = true;
  $('ended').hidden = true;
  view.open(call, stream);
  view.setStatus(answer.peer_present ? t('Kobler til…') : t('Venter på pasienten'));
  view.focusControls();
  signalling.listen((message) => call.receive(message));
}

/** The red button: "bye" to the patient, and POST /leave {end: true} ends the consultation. */
async function endConsultation() {
  if (!current) return;
  const { signalling, call } = current;
  await call.close();
  let text = t('Du avsluttet videokonsultasjonen.');
  try {
    await signalling.leave(true);
  } catch (err) {
    text = err.message;
  }
  showEnded(text);
}

function start() {
  $('credentials-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const read = readForm();
    if (!read) return;
    credential = read;
    const submit = $('credentials-submit');
    submit.disabled = true;
    try {
      render(await fetchJson(LIST, { headers: clinicHeaders() }));
      alertBox.textContent = '';
      $('credentials').hidden = true;
      $('today').hidden = false;
      $('today-title').focus();
      pollTimer = setTimeout(refresh, POLL_MS);
    } catch (err) {
      credential = null;
      showAlert(err.message);
    } finally {
      submit.disabled = false;
    }
  });
  $('forget').addEventListener('click', () => {
    forget();
    $('credentials-title').focus();
  });
  $('back-to-list').addEventListener('click', () => {
    $('ended').hidden = true;
    view.setStatus('');
    $('today').hidden = false;
    $('today-title').focus();
  });
  window.addEventListener('pagehide', () => {
    if (current) current.signalling.leave(false, { keepalive: true }).catch(() => {});
  });
}

start();
