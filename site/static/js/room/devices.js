// The device check before the call: browser support (RTCPeerConnection, getUserMedia), the camera
// and microphone (with the reason when they cannot be used) and a live microphone level from a
// WebAudio AnalyserNode. No page code here: the pages show the results.

/** {ok, missing: [...]} — what a video call needs from the browser. */
export function support() {
  const missing = [];
  if (typeof window.RTCPeerConnection !== 'function') missing.push('RTCPeerConnection');
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') missing.push('getUserMedia');
  return { ok: missing.length === 0, missing };
}

/** Why the devices cannot be used: 'denied' | 'missing' | 'busy' | 'unsupported' | 'other'. */
export function reason(err) {
  switch (err && err.name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'TypeError':
      return support().ok ? 'other' : 'unsupported';
    default:
      return 'other';
  }
}

export class DeviceError extends Error {
  constructor(kind, cause) {
    super(kind);
    this.name = 'DeviceError';
    this.kind = kind;
    this.cause = cause;
  }
}

/** The camera and the microphone as one MediaStream, or a DeviceError with the reason. */
export async function open() {
  if (!support().ok) throw new DeviceError('unsupported');
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true },
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
    });
  } catch (err) {
    throw new DeviceError(reason(err), err);
  }
}

/** Stop every track (the camera light goes out). */
export function release(stream) {
  if (stream) for (const track of stream.getTracks()) track.stop();
}

/**
 * The microphone's level 0..100, ten times a second, to onLevel(level); returns stop().
 * An AudioContext may start suspended until the person clicks or presses a key: it resumes then.
 */
export function micLevel(stream, onLevel) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context || !stream.getAudioTracks().length) return () => {};
  const context = new Context();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const resume = () => { if (context.state === 'suspended') context.resume().catch(() => {}); };
  resume();
  document.addEventListener('pointerdown', resume);
  document.addEventListener('keydown', resume);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    const rms = Math.sqrt(sum / samples.length);
    onLevel(Math.min(100, Math.round(rms * 400)));
  }, 100);
  return () => {
    clearInterval(timer);
    document.removeEventListener('pointerdown', resume);
    document.removeEventListener('keydown', resume);
    context.close().catch(() => {});
  };
}
