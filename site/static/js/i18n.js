// Run-time texts. The build writes the texts this code needs into the page as a JSON data block
// (<script type="application/json" id="i18n">), keyed by the bokmål message id.

const block = document.getElementById('i18n');
let messages = {};
try {
  messages = block ? JSON.parse(block.textContent) : {};
} catch {
  messages = {};
}

export const lang = document.body.dataset.lang === 'en' ? 'en' : 'nb';

/** The text for a message id in the page's language; `{name}` placeholders come from params. */
export function t(id, params) {
  let text = Object.prototype.hasOwnProperty.call(messages, id) ? messages[id] : id;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
  }
  return text;
}

const locale = lang === 'nb' ? 'nb-NO' : 'en-GB';
const dateTimeFormat = new Intl.DateTimeFormat(locale, {
  timeZone: 'Europe/Oslo',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A UTC ISO time shown in Europe/Oslo; '' for a missing or unreadable value. */
export function formatDateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : dateTimeFormat.format(date);
}
