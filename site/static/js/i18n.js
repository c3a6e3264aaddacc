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

const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** A calendar day "yyyy-mm-dd" written the page's way ("6. mai 2033"); '' for a missing value. */
export function formatDate(day) {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ? String(day) : '';
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(day) : dateFormat.format(date);
}
