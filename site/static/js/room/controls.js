// The call as both room pages show it (templates/partials/room_call.html): the other party large,
// oneself small (muted, mirrored), the microphone and camera toggles (aria-pressed: pressed = off),
// the red phone button and the status line (role=status). Marks 'video-first-remote-frame' at
// the first remote frame (requestVideoFrameCallback, with a getStats fallback).

export function callView({ onHangup }) {
  const $ = (id) => document.getElementById(id);
  const section = $('call');
  const status = $('call-status');
  const remote = $('remote-video');
  const placeholder = $('remote-placeholder');
  const self = $('self-video');
  const mic = $('mic-toggle');
  const camera = $('camera-toggle');
  const hangup = $('hangup');
  let call = null;
  let frameSeen = true;
  let statsTimer = null;

  const off = (button) => button.getAttribute('aria-pressed') === 'true';

  mic.addEventListener('click', () => {
    mic.setAttribute('aria-pressed', String(!off(mic)));
    if (call) call.setMic(!off(mic));
  });
  camera.addEventListener('click', () => {
    camera.setAttribute('aria-pressed', String(!off(camera)));
    if (call) call.setCamera(!off(camera));
  });
  hangup.addEventListener('click', () => {
    hangup.disabled = true;
    Promise.resolve(onHangup()).finally(() => { hangup.disabled = false; });
  });

  function sawFrame() {
    if (frameSeen) return;
    frameSeen = true;
    clearInterval(statsTimer);
    performance.mark('video-first-remote-frame');
  }

  function watchFirstFrame() {
    frameSeen = false;
    clearInterval(statsTimer);
    if (typeof remote.requestVideoFrameCallback === 'function') remote.requestVideoFrameCallback(sawFrame);
    statsTimer = setInterval(async () => { // the fallback (and a browser that draws no frames when hidden)
      const report = call && await call.stats();
      if (report) report.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0) sawFrame(); });
    }, 100);
  }

  function clearRemote() {
    clearInterval(statsTimer);
    frameSeen = true;
    remote.srcObject = null;
    remote.hidden = true;
    placeholder.hidden = false;
  }

  return {
    /** Show the call section with this call and the local picture; the toggles start "on". */
    open(newCall, stream) {
      call = newCall;
      for (const button of [mic, camera]) button.setAttribute('aria-pressed', 'false');
      self.srcObject = stream;
      self.play().catch(() => {});
      clearRemote();
      section.hidden = false;
    },
    close() {
      call = null;
      clearRemote();
      self.srcObject = null;
      section.hidden = true;
    },
    setStatus(text) {
      status.textContent = text;
    },
    showRemote(stream) {
      if (remote.srcObject === stream) return;
      remote.srcObject = stream;
      remote.hidden = false;
      placeholder.hidden = true;
      remote.play().catch(() => {});
      watchFirstFrame();
    },
    clearRemote,
    focusControls() {
      mic.focus();
    },
  };
}

/** Show the help block for a DeviceError kind ('denied' | 'missing' | 'busy' | 'unsupported' | 'other'). */
export function showDeviceHelp(kind, { retry = true } = {}) {
  const help = document.getElementById('device-help');
  if (!help) return;
  for (const block of help.querySelectorAll('[data-help]')) block.hidden = block.dataset.help !== kind;
  help.querySelector('[data-retry]').hidden = !retry;
  help.hidden = false;
  help.focus();
}

export function hideDeviceHelp() {
  const help = document.getElementById('device-help');
  if (help) help.hidden = true;
}
