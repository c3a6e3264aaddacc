// Innloggingen feilet: show the message for ?reason=<code>; unknown codes keep the generic text.

export function init() {
  const reason = new URLSearchParams(window.location.search).get('reason') || '';
  const known = [...document.querySelectorAll('[data-reason]')].find((p) => p.dataset.reason === reason);
  if (!known) return;
  known.hidden = false;
  document.getElementById('reason-generic').hidden = true;
  document.getElementById('reason-code').textContent = reason;
  document.getElementById('reason-code-line').hidden = false;
}
