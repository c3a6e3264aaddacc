// The patient's video room (R21-R23): /<lang>/videorom.html?time=<appointment id>.
// On load: POST /api/booking/appointments/<id>/video (the server enforces R21's window; a 409 or
// 404 shows its message and nothing else happens; 401 shows the log-in link). Then the device
// check, "Gå inn i venterommet" (POST /api/video/join), "Venter på behandler" until the
// practitioner is there (R22), and the call (R23). The room token stays in memory only.

import { t } from '../i18n.js';
import { createCall } from './call.js';
import { callView, hideDeviceHelp, showDeviceHelp } from './controls.js';
import * as devices from './devices.js';
import { fetchJson } from './http.js';
import { createSignalling } from './signalling.js';

const $ = (id) => document.getElementById(id);
const appointmentId = new URLSearchParams(window.location.search).get('time') || '';
const STATUS = {
  connecting: 'Kobler til…', connected: 'Tilkoblet', poor: 'Dårlig forbindelse', failed: 'Forbindelsen ble brutt',
};

let csrf = null;
let room = null; // the booking answer {room_token, expires_at, start, closes_at}
let stream = null;
let stopMeter = () => {};
let signalling = null;
let call = null;
let inRoom = false;
let restarts = 0; // new offers after a failed connection, per join

const alertBox = $('room-alert');
const view = callView({ onHangup: leave });

function showOnly(id) {
  for (const section of ['room-loading', 'login-needed', 'device-check', 'left', 'ended']) $(section).hidden = section !== id;
}

function showAlert(message) {
  alertBox.textContent = message;
  alertBox.focus();
}

function focusHeading(sectionId) {
  const heading = document.querySelector(`#${sectionId} h2`);
  if (heading) heading.focus();
}

async function openRoom() {
  const path = `/api/booking/appointments/${encodeURIComponent(appointmentId)}/video`;
  room = await fetchJson(path, { method: 'POST', headers: { 'X-CSRF-Token': csrf || '' } });
  return room;
}

/** What a refusal shows: the log-in link (401, or BankID needed), else the server's message. */
function refused(err) {
  view.close();
  if (err.status === 401 || err.error === 'step_up_required') {
    showOnly('login-needed');
    focusHeading('login-needed');
  } else {
    showOnly(null);
    showAlert(err.message);
  }
}

function setCheck(id, text, ok) {
  const item = $(id);
  item.querySelector('[data-result]').textContent = text;
  item.classList.toggle('is-ok', ok === true);
  item.classList.toggle('is-bad', ok === false);
}

async function checkDevices() {
  hideDeviceHelp();
  $('join').disabled = true;
  const supported = devices.support();
  setCheck('check-browser', supported.ok ? t('støtter videosamtaler') : t('støtter ikke videosamtaler'), supported.ok);
  if (!supported.ok) {
    setCheck('check-camera', t('ikke sjekket'));
    setCheck('check-microphone', t('ikke sjekket'));
    showDeviceHelp('unsupported', { retry: false });
    return;
  }
  devices.release(stream);
  stopMeter();
  try {
    stream = await devices.open();
  } catch (err) {
    stream = null;
    setCheck('check-camera', t('kan ikke brukes'), false);
    setCheck('check-microphone', t('kan ikke brukes'), false);
    showDeviceHelp(err.kind || 'other');
    return;
  }
  $('preview-video').srcObject = stream;
  $('preview-video').play().catch(() => {});
  setCheck('check-camera', stream.getVideoTracks().length ? t('virker') : t('fant ikke kamera'), stream.getVideoTracks().length > 0);
  setCheck('check-microphone', stream.getAudioTracks().length ? t('virker') : t('fant ikke mikrofon'), stream.getAudioTracks().length > 0);
  const meter = $('mic-level');
  stopMeter = devices.micLevel(stream, (level) => { meter.value = level; });
  $('join').disabled = false;
}

function onState(state) {
  if (STATUS[state]) view.setStatus(t(STATUS[state]));
  if (state === 'connected') restarts = 0;
  if (state === 'failed' && call && restarts < 2) { // a new offer (the patient always offers)
    restarts += 1;
    call.start();
  }
  if (state === 'peer-left') {
    view.clearRemote();
    view.setStatus(t('Venter på behandler'));
  }
  if (state === 'ended') finish('ended');
}

/** The consultation is over (the practitioner ended it): no way back in. */
function finish(how) {
  if (!inRoom) return;
  inRoom = false;
  if (signalling) signalling.stop();
  if (call) call.close();
  call = null;
  devices.release(stream);
  stream = null;
  view.close();
  view.setStatus(t('Samtalen er avsluttet'));
  showOnly(how);
  focusHeading(how);
}

async function enter() {
  showOnly(null);
  alertBox.textContent = '';
  view.setStatus(t('Går inn i venterommet …'));
  signalling = createSignalling({
    token: room.room_token,
    authHeaders: (method) => (method === 'GET' ? {} : { 'X-CSRF-Token': csrf || '' }),
    renewToken: async () => (await openRoom()).room_token,
    onEnded: () => finish('ended'),
    onError: (err) => { inRoom = false; if (call) call.close(); refused(err); },
  });
  let answer;
  try {
    answer = await signalling.join();
  } catch (err) {
    if (err.error === 'video_ended') {
      inRoom = true;
      finish('ended');
    } else {
      refused(err);
    }
    return;
  }
  performance.mark('video-joined');
  inRoom = true;
  restarts = 0;
  call = createCall({
    role: 'patient',
    iceServers: answer.ice_servers || [],
    localStream: stream,
    send: signalling.send,
    onRemoteStream: (remote) => view.showRemote(remote),
    onState,
  });
  view.open(call, stream);
  view.focusControls();
  signalling.listen((message) => (call ? call.receive(message) : null));
  if (answer.peer_present) {
    call.start();
  } else {
    view.setStatus(t('Venter på behandler'));
  }
}

async function leave() {
  if (!inRoom) return;
  inRoom = false;
  const leaving = signalling;
  if (call) await call.close();
  call = null;
  devices.release(stream);
  stream = null;
  view.close();
  view.setStatus('');
  showOnly('left');
  focusHeading('left');
  try {
    await leaving.leave(false);
  } catch {
    // the room is left on this side; the other side sees the connection close
  }
}

async function rejoin() {
  $('rejoin').disabled = true;
  try {
    await openRoom();
    stream = await devices.open();
  } catch (err) {
    if (err.name === 'DeviceError') {
      showOnly('device-check');
      showDeviceHelp(err.kind);
    } else {
      refused(err);
    }
    return;
  } finally {
    $('rejoin').disabled = false;
  }
  await enter();
}

async function start() {
  $('device-retry').addEventListener('click', checkDevices);
  $('join').addEventListener('click', () => {
    stopMeter();
    $('preview-video').srcObject = null;
    enter();
  });
  $('rejoin').addEventListener('click', rejoin);
  window.addEventListener('pagehide', () => {
    if (inRoom && signalling) signalling.leave(false, { keepalive: true }).catch(() => {});
  });
  if (!appointmentId) {
    showOnly(null);
    showAlert(t('Fant ikke timen. Start videokonsultasjonen fra Mine konsultasjoner.'));
    return;
  }
  try {
    const session = await fetchJson('/api/accounts/session');
    csrf = session && session.authenticated ? session.csrf_token : null;
    if (!csrf) {
      refused({ status: 401 });
      return;
    }
    await openRoom();
  } catch (err) {
    refused(err);
    return;
  }
  showOnly('device-check');
  await checkDevices();
}

start();
