// Shared page helpers: safe element building, the status and alert regions, field errors and the
// log-in / step-up panels of the layout (base.html).

import { t } from './i18n.js';

/** document.querySelector with an optional root. */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Build an element; children are nodes or strings (always inserted as text, never as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let statusTimer = null;

/** Announce a short status ("Lagret") in the polite live region; it fades after a while. */
export function announce(text) {
  const region = document.getElementById('status');
  if (!region) return;
  clearTimeout(statusTimer);
  region.textContent = '';
  // A fresh text node after a tick makes screen readers announce the same text twice in a row.
  setTimeout(() => {
    region.textContent = text;
    statusTimer = setTimeout(() => { region.textContent = ''; }, 8000);
  }, 50);
}

/** Show a page-level error in the alert region. */
export function showPageError(message) {
  const region = document.getElementById('page-error');
  if (!region) return;
  region.textContent = message;
  if (region.getBoundingClientRect().top < 0) region.scrollIntoView({ block: 'nearest' });
}

export function clearPageError() {
  const region = document.getElementById('page-error');
  if (region) region.textContent = '';
}

function describedBy(node) {
  return (node.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
}

function errorTarget(form, field) {
  if (!form || !field) return null;
  const item = form.elements.namedItem(field);
  if (!item) return null;
  if (item instanceof RadioNodeList) return item[0] ? item[0].closest('fieldset') : null;
  return item;
}

/** Show `message` next to a control (an element, or a form + field name). Returns the control or null. */
export function showFieldError(formOrControl, field, message) {
  const control = formOrControl instanceof HTMLFormElement ? errorTarget(formOrControl, field) : formOrControl;
  if (!control) return null;
  if (!control.id) control.id = `field-${Math.random().toString(36).slice(2)}`;
  const errorId = `${control.id}-error`;
  let error = document.getElementById(errorId);
  if (!error) {
    error = el('p', { id: errorId, class: 'field-error' });
    const anchor = control.closest('.field') || control.parentElement;
    if (control.tagName === 'FIELDSET') control.append(error);
    else anchor.append(error);
  }
  error.textContent = message;
  const ids = describedBy(control);
  if (!ids.includes(errorId)) control.setAttribute('aria-describedby', [...ids, errorId].join(' '));
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(control.tagName)) control.setAttribute('aria-invalid', 'true');
  const focusable = control.tagName === 'FIELDSET' ? control.querySelector('input') : control;
  if (focusable) focusable.focus();
  return control;
}

/** Remove every field error shown inside root (a form or a section). */
export function clearErrors(root) {
  if (!root) return;
  for (const error of root.querySelectorAll('.field-error')) {
    for (const control of root.querySelectorAll(`[aria-describedby~="${CSS.escape(error.id)}"]`)) {
      const rest = describedBy(control).filter((id) => id !== error.id);
      if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
      else control.removeAttribute('aria-describedby');
      control.removeAttribute('aria-invalid');
    }
    error.remove();
  }
}

/**
 * Show an API error where it belongs: next to the field the server named (in `form`), else next
 * to `fallback` (a control), else in the page's alert region. Errors api.js already acted on
 * (log-in prompt, step-up, consent redirect) are not shown twice.
 */
export function handleError(err, { form = null, fallback = null } = {}) {
  if (err && err.handled) return;
  const fromApi = Boolean(err && typeof err.status === 'number');
  if (!fromApi) console.error(err); // a bug, not an answer from the API: keep details out of the page
  const message = (fromApi && err.message) || t('Noe gikk galt. Prøv igjen senere.');
  if (fromApi && err.field && showFieldError(form, err.field, message)) return;
  if (fallback && showFieldError(fallback, null, message)) return;
  showPageError(message);
}

/** Put a form's controls into an object, trimming text. */
export function readForm(form, names) {
  const values = {};
  for (const name of names) {
    const item = form.elements.namedItem(name);
    const value = item ? item.value : '';
    values[name] = typeof value === 'string' ? value.trim() : value;
  }
  return values;
}

export function setBusy(form, busy) {
  for (const button of form.querySelectorAll('button')) button.disabled = busy;
  form.setAttribute('aria-busy', busy ? 'true' : 'false');
}

function focusHeading(panel) {
  const heading = panel.querySelector('h2');
  if (heading) heading.focus();
}

/** Hide the page's own content (e.g. when the session ended). */
export function hideContent() {
  const content = document.getElementById('content');
  if (content) content.hidden = true;
}

export function revealContent() {
  const content = document.getElementById('content');
  if (content) content.hidden = false;
}

function showPanel(id, { focus = false, keepContent = false } = {}) {
  for (const other of ['login-prompt', 'step-up']) {
    const panel = document.getElementById(other);
    if (panel) panel.hidden = other !== id;
  }
  if (!keepContent) hideContent();
  const panel = document.getElementById(id);
  if (panel && focus) focusHeading(panel);
}

/** The "Logg inn" panel: not logged in, or the session ended. Hides the page content. */
export function showLoginPrompt(options = {}) {
  const userArea = document.getElementById('user-area');
  if (userArea) userArea.hidden = true;
  showPanel('login-prompt', options);
}

/** The step-up panel: this needs a BankID (level high) session. */
export function showStepUp(options = {}) {
  showPanel('step-up', options);
}

/** Open/close a form behind a toggle button (aria-expanded); focus goes to the first field. */
export function openForm(toggle, form) {
  form.hidden = false;
  if (toggle) toggle.setAttribute('aria-expanded', 'true');
  const first = form.querySelector('input:not([type=hidden]), select, textarea');
  if (first) first.focus();
}

export function closeForm(toggle, form, { reset = true, focus = true } = {}) {
  clearErrors(form);
  if (reset) form.reset();
  form.hidden = true;
  if (toggle) {
    toggle.setAttribute('aria-expanded', 'false');
    toggle.hidden = false;
    if (focus) toggle.focus();
  }
}
