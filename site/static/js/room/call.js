// One side of a video call: the RTCPeerConnection and nothing else (no DOM, no fetch), so that a
// harness page can run it with an in-page transport. Signalling goes out through `send(msg)` and
// comes in through `receive(msg)`; the messages are those of /api/video (docs in signalling.js):
// `offer` / `answer` {offer_id, sdp}, `candidates` {offer_id, candidates}, `joined`, `left`, `ended`.
//
// The patient always offers: start() makes a NEW peer connection (and a data channel "bye"),
// waits for ICE gathering (at most gatherMs) and sends the offer with the candidates inside the
// SDP; later candidates go as one `candidates` message. The practitioner answers every offer with
// a new peer connection (closing any old one). Answers and candidates of another offer_id are
// ignored. close() says "bye" on the data channel; on "bye", `left` or `ended` the peer closes.
//
// onState(state): 'connecting' | 'connected' | 'poor' (ICE disconnected) | 'failed' | 'peer-joined'
// | 'peer-left' | 'ended' | 'closed'.

const ICE_STATES = {
  new: 'connecting', checking: 'connecting', connected: 'connected', completed: 'connected',
  disconnected: 'poor', failed: 'failed', closed: 'closed',
};
const LATE_MS = 300; // late local candidates are sent together

function newOfferId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function plainCandidate(c) {
  return { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex };
}

export function createCall({
  role, iceServers = [], localStream, send, onRemoteStream = () => {}, onState = () => {}, gatherMs = 1000,
  Peer = globalThis.RTCPeerConnection,
}) {
  let peer = null; // {pc, id, sent, late, timer, channel, remoteSet, pending}
  let camera = true;

  function drop() {
    if (!peer) return;
    const old = peer;
    peer = null;
    clearTimeout(old.timer);
    const { pc } = old;
    pc.ontrack = null;
    pc.onicecandidate = null;
    pc.oniceconnectionstatechange = null;
    pc.ondatachannel = null;
    pc.close();
  }

  function flushLate(current) {
    clearTimeout(current.timer);
    current.timer = null;
    if (peer !== current || !current.late.length) return;
    const candidates = current.late.splice(0, 30);
    send({ kind: 'candidates', offer_id: current.id, candidates }).catch(() => {});
    if (current.late.length) flushLate(current);
  }

  function watchChannel(current, channel) {
    current.channel = channel;
    channel.onmessage = (event) => {
      if (event.data === 'bye' && peer === current) {
        drop();
        onState('peer-left');
      }
    };
  }

  function applyCamera(current) {
    const track = localStream.getVideoTracks()[0];
    if (current.videoSender && track) current.videoSender.replaceTrack(camera ? track : null).catch(() => {});
  }

  function open(id) {
    drop();
    const pc = new Peer({ iceServers });
    const current = {
      pc, id, sent: false, late: [], timer: null, channel: null, remoteSet: false, pending: [], videoSender: null,
    };
    peer = current;
    for (const track of localStream.getTracks()) {
      const sender = pc.addTrack(track, localStream);
      if (track.kind === 'video') current.videoSender = sender;
    }
    if (!camera) applyCamera(current);
    pc.ontrack = (event) => {
      if (peer === current) onRemoteStream(event.streams[0] || new MediaStream([event.track]));
    };
    pc.oniceconnectionstatechange = () => {
      if (peer === current) onState(ICE_STATES[pc.iceConnectionState] || 'connecting');
    };
    pc.onicecandidate = (event) => {
      if (peer !== current || !current.sent) return; // before sending: inside the SDP
      if (event.candidate && event.candidate.candidate) {
        current.late.push(plainCandidate(event.candidate));
        if (!current.timer) current.timer = setTimeout(() => flushLate(current), LATE_MS);
      } else {
        flushLate(current);
      }
    };
    pc.ondatachannel = (event) => watchChannel(current, event.channel);
    return current;
  }

  function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = () => { if (pc.iceGatheringState === 'complete') done(); };
      const timer = setTimeout(done, gatherMs);
      pc.addEventListener('icegatheringstatechange', check);
    });
  }

  async function describe(current, description, kind) {
    await current.pc.setLocalDescription(description);
    await gathered(current.pc);
    if (peer !== current) return;
    const { sdp } = current.pc.localDescription;
    current.sent = true;
    await send({ kind, offer_id: current.id, sdp });
  }

  async function remoteReady(current) {
    current.remoteSet = true;
    const pending = current.pending.splice(0);
    for (const candidate of pending) await current.pc.addIceCandidate(candidate).catch(() => {});
  }

  /** The patient: a new peer connection and an offer (again after `joined` or a failed connection). */
  async function start() {
    if (role !== 'patient') return;
    const current = open(newOfferId());
    watchChannel(current, current.pc.createDataChannel('bye'));
    onState('connecting');
    await describe(current, await current.pc.createOffer(), 'offer');
  }

  async function answer(message) {
    const current = open(String(message.offer_id));
    onState('connecting');
    await current.pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
    await remoteReady(current);
    await describe(current, await current.pc.createAnswer(), 'answer');
  }

  async function receive(message) {
    const current = peer;
    const mine = current && message.offer_id === current.id;
    switch (message.kind) {
      case 'joined':
        if (role === 'patient') await start();
        else onState('peer-joined');
        break;
      case 'offer':
        if (role === 'practitioner') await answer(message);
        break;
      case 'answer':
        if (role === 'patient' && mine && current.pc.signalingState === 'have-local-offer') {
          await current.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
          await remoteReady(current);
        }
        break;
      case 'candidates':
        if (!mine) break;
        for (const candidate of message.candidates || []) {
          if (current.remoteSet) await current.pc.addIceCandidate(candidate).catch(() => {});
          else current.pending.push(candidate);
        }
        break;
      case 'left':
        drop();
        onState('peer-left');
        break;
      case 'ended':
        drop();
        onState('ended');
        break;
      default:
        break;
    }
  }

  /** Microphone on/off: the outgoing audio track's `enabled` (off sends silence). */
  function setMic(on) {
    for (const track of localStream.getAudioTracks()) track.enabled = on;
  }

  /** Camera on/off: the video track's `enabled`, and no track on the sender, so no frames are sent. */
  function setCamera(on) {
    camera = on;
    for (const track of localStream.getVideoTracks()) track.enabled = on;
    if (peer) applyCamera(peer);
  }

  /** Leave: "bye" on the data channel (when open), then close the peer connection. */
  async function close() {
    const current = peer;
    if (current && current.channel && current.channel.readyState === 'open') {
      try {
        current.channel.send('bye');
        for (let i = 0; i < 10 && current.channel.bufferedAmount > 0; i += 1) {
          await new Promise((resolve) => { setTimeout(resolve, 20); });
        }
      } catch {
        // the channel closed meanwhile: the POST /leave tells the other side
      }
    }
    drop();
    onState('closed');
  }

  return {
    start,
    receive,
    setMic,
    setCamera,
    close,
    /** RTCStatsReport of the current peer connection, or null (the page's first-frame fallback). */
    stats: () => (peer ? peer.pc.getStats() : Promise.resolve(null)),
    get connection() { return peer ? peer.pc : null; },
  };
}
