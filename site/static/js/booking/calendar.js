// A month calendar (R17, R19): a real <table> with weekday headers, "Forrige måned" / "Neste måned",
// and one button per day. With counts (timebok), days with free times are green and say how many
// as visible text ("3 ledige"); each button's name, its own content, says it in full
// ("1. desember, 3 ledige timer", the date and "timer" as visually hidden text).
// Past days, and days without free times, are disabled. Without counts (timeforespørsel) every
// day from today on can be chosen unless `isDisabled(date)` says otherwise.

import {
  addMonths, currentMonth, dayMonth, daysInMonth, monthTitle, todayOslo, weekdayIndex, weekdays,
} from './time.js';

const MONTHS_AHEAD = 12;

export function createCalendar({ ui, t, root, idPrefix, counts = false, load = null, isDisabled = null, onSelect }) {
  const { el } = ui;
  const titleId = `${idPrefix}-title`;
  const title = el('p', { class: 'calendar-title', id: titleId });
  const prev = el('button', { type: 'button', class: 'button button-secondary button-small', id: `${idPrefix}-prev` },
    el('span', { 'aria-hidden': 'true' }, '‹'), ' ', t('Forrige måned'));
  const next = el('button', { type: 'button', class: 'button button-secondary button-small', id: `${idPrefix}-next` },
    t('Neste måned'), ' ', el('span', { 'aria-hidden': 'true' }, '›'));
  const head = el('tr', {}, weekdays().map((day) => el('th', { scope: 'col' },
    el('span', { 'aria-hidden': 'true' }, day.short), el('span', { class: 'visually-hidden' }, day.long))));
  const rows = el('tbody', {});
  const table = el('table', { class: counts ? 'calendar calendar-counts' : 'calendar', 'aria-labelledby': titleId },
    el('thead', {}, head), rows);
  // Counts mode shows "desember 2026: 5 dager med ledige timer"; both modes say the month aloud when it changes.
  const live = el('p', { class: counts ? 'hint calendar-summary' : 'visually-hidden', 'aria-live': 'polite', id: `${idPrefix}-summary` });
  const error = el('p', { class: 'field-error', id: `${idPrefix}-error`, hidden: true });
  root.replaceChildren(el('div', { class: 'calendar-nav' }, prev, title, next), live, el('div', { class: 'table-wrap' }, table), error);

  let month = currentMonth();
  let free = new Map(); // date → number of free times (counts mode)
  let selected = null;
  let sequence = 0;

  function dayLabel(date, count, past) {
    const day = dayMonth(date);
    if (!counts || past) return day;
    if (count === 1) return t('{day}, 1 ledig time', { day });
    if (count > 1) return t('{day}, {count} ledige timer', { day, count });
    return t('{day}, ingen ledige timer', { day });
  }

  /**
   * The button's content is its name (WCAG 2.5.3, label in name): "4. desember, 9 ledige timer",
   * which starts with the day number shown and contains the "9 ledige" shown, in that order. The
   * number is drawn on its own (aria-hidden) and said as part of the visually hidden date, since
   * Chromium puts a space between a box and hidden text beside it ("4 . desember").
   */
  function dayContent(date, count, past) {
    const label = dayLabel(date, count, past);
    const number = String(Number(date.slice(8)));
    const shown = counts && count > 0 && !past ? (count === 1 ? t('1 ledig') : t('{count} ledige', { count })) : '';
    const at = shown ? label.indexOf(shown) : -1;
    const hidden = (text) => (text ? el('span', { class: 'visually-hidden' }, text) : null);
    const parts = [el('span', { class: 'day-number', 'aria-hidden': 'true' }, number)];
    if (!shown || at < 0) { // no count, or a translation without the visible words: the whole label, hidden
      parts.push(hidden(label));
      if (shown) parts.push(el('span', { class: 'day-count', 'aria-hidden': 'true' }, shown));
      return parts;
    }
    parts.push(hidden(label.slice(0, at)), el('span', { class: 'day-count' }, shown), hidden(label.slice(at + shown.length)));
    return parts;
  }

  function dayButton(date) {
    const today = todayOslo();
    const past = date < today;
    const count = free.get(date) || 0;
    const enabled = !past && (counts ? count > 0 : !(isDisabled && isDisabled(date)));
    const classes = ['day'];
    if (counts && count > 0 && !past) classes.push('day-free');
    if (date === selected) classes.push('is-selected');
    const button = el('button', {
      type: 'button',
      class: classes.join(' '),
      'data-date': date,
      'aria-pressed': date === selected ? 'true' : 'false',
      'aria-current': date === today ? 'date' : null,
      disabled: !enabled,
    }, dayContent(date, count, past));
    button.addEventListener('click', () => choose(date));
    return button;
  }

  function render() {
    title.textContent = monthTitle(month);
    prev.disabled = month <= currentMonth();
    next.disabled = month >= addMonths(currentMonth(), MONTHS_AHEAD);
    const total = daysInMonth(month);
    const cells = [];
    for (let i = 0; i < weekdayIndex(`${month}-01`); i += 1) cells.push(el('td', {}));
    for (let d = 1; d <= total; d += 1) {
      cells.push(el('td', {}, dayButton(`${month}-${String(d).padStart(2, '0')}`)));
    }
    while (cells.length % 7) cells.push(el('td', {}));
    const weeks = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(el('tr', {}, cells.slice(i, i + 7)));
    rows.replaceChildren(...weeks);
  }

  function summary() {
    if (!counts) return monthTitle(month);
    const days = [...free.entries()].filter(([date, count]) => count > 0 && date >= todayOslo()).length;
    if (!days) return t('{month}: ingen ledige timer', { month: monthTitle(month) });
    return t('{month}: {count} dager med ledige timer', { month: monthTitle(month), count: days });
  }

  async function show(target) {
    month = target;
    const mine = ++sequence;
    error.hidden = true;
    if (counts && load) {
      table.setAttribute('aria-busy', 'true');
      free = new Map();
      render();
      try {
        const answer = await load(month);
        if (mine !== sequence) return;
        free = new Map(((answer && answer.days) || []).map((d) => [d.date, Number(d.free) || 0]));
      } catch (err) {
        if (mine !== sequence) return;
        if (!err || !err.handled) {
          error.textContent = (err && typeof err.status === 'number' && err.message) || t('Noe gikk galt. Prøv igjen senere.');
          error.hidden = false;
        }
      } finally {
        if (mine === sequence) table.setAttribute('aria-busy', 'false');
      }
    }
    render();
    live.textContent = summary(); // shown, and said aloud (polite) when the month changes
  }

  function choose(date) {
    selected = date;
    for (const button of rows.querySelectorAll('button.day')) {
      const on = button.dataset.date === date;
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
      button.classList.toggle('is-selected', on);
    }
    if (onSelect) onSelect(date, free.get(date) || 0);
  }

  prev.addEventListener('click', () => {
    show(addMonths(month, -1)).then(() => { if (prev.disabled) next.focus(); });
  });
  next.addEventListener('click', () => {
    show(addMonths(month, 1)).then(() => { if (next.disabled) prev.focus(); });
  });

  return {
    show,
    get month() { return month; },
    get selected() { return selected; },
    freeOn(date) { return free.get(date) || 0; },
    refresh() { return show(month); },
    clearSelection() {
      selected = null;
      render();
    },
    /** Re-render with the current data (e.g. "now" moved, or isDisabled changed). */
    redraw() { render(); },
    /** Focus the chosen day, else the first day that can be chosen, else "Neste måned". */
    focus() {
      const target = rows.querySelector('button.day[aria-pressed="true"]:not(:disabled)')
        || rows.querySelector('button.day:not(:disabled)') || (next.disabled ? prev : next);
      target.focus();
    },
  };
}
