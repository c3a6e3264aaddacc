// Mine konsultasjoner (R11–R15, R20a, R21): tabs Bestilte / Avbestilte / Alle (an ARIA tablist,
// arrow keys) over GET /api/booking/appointments?tab=…, a table (Dato, Klinikk, Bemerkning,
// Status, Handlinger) and each appointment's actions from its flags: Avbestill (dialog), Flytt
// (dialog with the timebok's month calendar), Legg til i kalender (.ics) and Start
// videokonsultasjon. Every action's accessible name says which appointment ("Avbestill timen
// 1. desember 09:00"). ?booked=<id> / ?requested=<id> (from Bestill konsultasjon) is announced.
// "Gi meg beskjed om en tidligere time" and the offer a waitlist notice links to: booking/waitlist.js.
// On a phone each row is a card (site.css), the Status and the actions in view without scrolling.

import { createCalendar } from '../booking/calendar.js';
import { deadlineWarning } from '../booking/deadline.js';
import { createWaitlist } from '../booking/waitlist.js';
import {
  currentMonth, dayMonth, learnServerTime, longDate, osloDate, osloTime, setServerTime,
} from '../booking/time.js';

const BASE = '/api/booking';
const LIST_PATH = `${BASE}/appointments`;
const TABS = ['booked', 'cancelled', 'all'];
const OPEN = new Set(['booked', 'requested']);
const CANCELLED = new Set(['cancelled_by_patient', 'cancelled_by_staff']);
const WISHES = new Set(['requested', 'rejected', 'expired']); // requests: a day and an interval, not a time

export async function init({ api, t, ui, session }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  setServerTime(session && (session.server_time || session.now));

  const tabs = [...document.querySelectorAll('#appointment-tabs [role="tab"]')];
  const panel = $('appointments-panel');
  const table = $('appointments-table');
  const rows = $('appointments-rows');
  const loading = $('appointments-loading');
  const empty = $('appointments-empty');
  const more = $('appointments-more');
  const notice = $('booking-notice');

  const statusTexts = {
    requested: t('Under arbeid'),
    booked: t('Bestilt'),
    cancelled_by_patient: t('Avbestilt av pasient'),
    cancelled_by_staff: t('Avbestilt av personell'),
    rejected: t('Avvist'),
    expired: t('Utløpt'),
    no_show: t('Ikke møtt'),
    completed: t('Gjennomført'),
  };
  const captions = {
    booked: t('Bestilte konsultasjoner'),
    cancelled: t('Avbestilte konsultasjoner'),
    all: t('Alle konsultasjoner'),
  };
  const empties = {
    booked: t('Du har ingen bestilte konsultasjoner.'),
    cancelled: t('Du har ingen avbestilte konsultasjoner.'),
    all: t('Du har ingen konsultasjoner ennå.'),
  };

  const params = new URLSearchParams(window.location.search);
  let tab = TABS.includes(params.get('tab')) ? params.get('tab') : 'booked';
  let cursor = null;
  let sequence = 0;
  let highlight = params.get('booked') || params.get('requested') || null;
  let listed = [];

  function say(text) {
    notice.textContent = text;
    if (notice.getBoundingClientRect().top < 0) notice.scrollIntoView({ block: 'nearest' });
  }

  // ---- What an appointment is called -----------------------------------------------------------

  function dateOf(a) {
    return a.date || osloDate(a.start);
  }

  /** '08:00' as it is, or an ISO time shown as HH:MM in Oslo. */
  function clock(value) {
    return /T/.test(String(value || '')) ? osloTime(value) : String(value || '');
  }

  function intervalText(a) {
    return a.interval && a.interval.start ? `${clock(a.interval.start)}–${clock(a.interval.end)}` : '';
  }

  function isWish(a) {
    return Boolean(a.interval && a.interval.start) && (WISHES.has(a.status) || !a.start);
  }

  /** Visible date: "tirsdag 1. desember 2026 kl. 09:00" (a request: "…, 08:00–10:00"). */
  function whenLong(a) {
    const date = dateOf(a);
    if (!date) return '';
    if (isWish(a)) {
      const interval = intervalText(a);
      return interval ? `${longDate(date)}, ${interval}` : longDate(date);
    }
    return t('{date} kl. {time}', { date: longDate(date), time: osloTime(a.start) });
  }

  /** In action names: "1. desember 09:00" (a request: "1. desember 08:00–10:00"). */
  function whenShort(a) {
    const date = dateOf(a);
    if (!date) return '';
    if (isWish(a)) return `${dayMonth(date)} ${intervalText(a)}`.trim();
    return `${dayMonth(date)} ${osloTime(a.start)}`;
  }

  // ---- Tabs ------------------------------------------------------------------------------------

  function selectTab(name, { focus = false } = {}) {
    tab = name;
    for (const button of tabs) {
      const on = button.dataset.tab === name;
      button.setAttribute('aria-selected', on ? 'true' : 'false');
      button.tabIndex = on ? 0 : -1;
      if (on) {
        panel.setAttribute('aria-labelledby', button.id);
        if (focus) button.focus();
      }
    }
    const url = new URL(window.location.href);
    if (name === 'booked') url.searchParams.delete('tab');
    else url.searchParams.set('tab', name);
    url.searchParams.delete('booked');
    url.searchParams.delete('requested');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return load();
  }

  for (const button of tabs) {
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-selected') !== 'true') selectTab(button.dataset.tab);
    });
    button.addEventListener('keydown', (event) => {
      const index = tabs.indexOf(button);
      let target = null;
      if (event.key === 'ArrowRight') target = tabs[(index + 1) % tabs.length];
      else if (event.key === 'ArrowLeft') target = tabs[(index - 1 + tabs.length) % tabs.length];
      else if (event.key === 'Home') target = tabs[0];
      else if (event.key === 'End') target = tabs[tabs.length - 1];
      if (!target) return;
      event.preventDefault();
      selectTab(target.dataset.tab, { focus: true });
    });
  }

  // ---- The table -------------------------------------------------------------------------------
  // On narrow screens CSS shows each row as a card: a cell's column name (data-label) is drawn
  // beside its value, and the explicit table roles keep the table a table for screen readers
  // (some browsers drop table semantics when table parts get another CSS display).

  const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());

  function actionButton(label, name, className, onClick) {
    const button = el('button', { type: 'button', class: `button button-small ${className}`, 'aria-label': name }, label);
    button.addEventListener('click', () => onClick(button));
    return button;
  }

  function actionsFor(a) {
    const when = whenShort(a);
    const items = [];
    if (a.can_cancel) {
      items.push(actionButton(t('Avbestill'), t('Avbestill timen {when}', { when }), 'button-danger', (b) => openCancel(a, b)));
    } else if (a.cancel_info && OPEN.has(a.status)) {
      items.push(el('p', { class: 'hint cancel-info' }, a.cancel_info));
    }
    if (a.can_move) {
      items.push(actionButton(t('Flytt'), t('Flytt timen {when}', { when }), 'button-secondary', (b) => openMove(a, b)));
    }
    if (a.can_calendar) {
      const remove = CANCELLED.has(a.status);
      const label = remove ? t('Fjern fra kalender') : t('Legg til i kalender');
      items.push(el('a', {
        class: 'button button-small button-secondary',
        href: `${LIST_PATH}/${encodeURIComponent(a.id)}/calendar.ics`,
        download: `${remove ? 'avbestilt' : 'time'}-${a.id}.ics`,
        'aria-label': remove ? t('Fjern fra kalender {when}', { when }) : t('Legg til i kalender {when}', { when }),
      }, label));
    }
    if (a.can_video || (a.type && a.type.video && a.status === 'booked')) {
      // The video room page (R21-R23) asks for the room itself: it shows when the window opens, or the device check.
      items.push(el('a', {
        class: 'button button-small',
        href: `videorom.html?time=${encodeURIComponent(a.id)}`,
        'aria-label': t('Start videokonsultasjon {when}', { when }),
      }, t('Start videokonsultasjon')));
    }
    items.push(...waitlist.actions(a));
    return items;
  }

  function row(a) {
    const dateCell = el('td', {}, el('time', { datetime: a.start || dateOf(a) || '' }, whenLong(a)));
    if (a.type && a.type.name) dateCell.append(el('span', { class: 'muted block' }, a.type.name));
    if (a.type && a.type.video && !/video/i.test(a.type.name || '')) {
      dateCell.append(el('span', { class: 'tag' }, t('Videokonsultasjon')));
    }
    const clinicCell = el('td', {}, (a.clinic && a.clinic.name) || '');
    if (a.practitioner && a.practitioner.name) clinicCell.append(el('span', { class: 'muted block' }, a.practitioner.name));
    const statusCell = el('td', {}, el('span', { class: `status status-${a.status || 'unknown'}` }, a.status_text || statusTexts[a.status] || a.status || ''));
    if (a.reason) statusCell.append(el('span', { class: 'muted block' }, t('Begrunnelse: {reason}', { reason: a.reason })));
    const cells = [dateCell, clinicCell, el('td', {}, a.remark || ''), statusCell,
      el('td', {}, el('div', { class: 'row-actions' }, actionsFor(a)))];
    cells.forEach((cell, i) => {
      cell.setAttribute('role', 'cell');
      if (headings[i]) cell.dataset.label = headings[i];
    });
    const tr = el('tr', { 'data-id': a.id, role: 'row' }, cells);
    if (highlight && a.id === highlight) tr.classList.add('is-new');
    return tr;
  }

  async function load({ append = false } = {}) {
    const mine = ++sequence;
    if (!append) cursor = null;
    $('appointments-caption').textContent = captions[tab];
    table.setAttribute('aria-busy', 'true');
    more.disabled = true;
    if (!append) {
      loading.hidden = false;
      empty.hidden = true;
    }
    try {
      const query = new URLSearchParams({ tab });
      if (append && cursor) query.set('cursor', cursor);
      const answer = await api.get(`${LIST_PATH}?${query}`);
      if (mine !== sequence) return;
      learnServerTime(answer);
      const items = (answer && answer.items) || [];
      listed = append ? [...listed, ...items] : items;
      const built = items.map(row);
      if (append) rows.append(...built);
      else rows.replaceChildren(...built);
      cursor = (answer && answer.next_cursor) || null;
      const shown = rows.children.length;
      table.hidden = shown === 0;
      empty.textContent = empties[tab];
      empty.hidden = shown !== 0;
      more.hidden = !cursor;
    } catch (err) {
      if (mine !== sequence) return;
      if (!append) {
        rows.replaceChildren();
        table.hidden = true;
      }
      ui.handleError(err);
    } finally {
      if (mine === sequence) {
        loading.hidden = true;
        more.disabled = false;
        table.setAttribute('aria-busy', 'false');
      }
    }
  }

  more.addEventListener('click', () => load({ append: true }));

  /** After a change: reload the tab and put focus on the panel (the row may be gone). */
  async function reloadAfterChange(focusTarget) {
    highlight = null;
    await load();
    const target = focusTarget && focusTarget.isConnected ? focusTarget : panel;
    target.focus();
  }

  const waitlist = createWaitlist({ api, t, ui, say, reload: reloadAfterChange, whenLong, whenShort });

  // ---- Avbestill -------------------------------------------------------------------------------

  const cancelDialog = $('cancel-dialog');
  const cancelConfirm = $('cancel-confirm');
  let cancelling = null; // {a, button}

  function openCancel(a, button) {
    ui.clearPageError();
    cancelling = { a, button };
    const clinic = (a.clinic && a.clinic.name) || '';
    const who = a.practitioner && a.practitioner.name ? `${clinic}, ${a.practitioner.name}` : clinic;
    $('cancel-text').textContent = t('{when} hos {clinic}.', { when: whenLong(a), clinic: who });
    cancelDialog.showModal();
  }

  $('cancel-close').addEventListener('click', () => cancelDialog.close());
  cancelDialog.addEventListener('close', () => {
    if (cancelling && cancelling.button.isConnected && cancelling.button.dataset.done !== '1') cancelling.button.focus();
  });

  cancelConfirm.addEventListener('click', async () => {
    if (!cancelling) return;
    const { a, button } = cancelling;
    cancelConfirm.disabled = true;
    try {
      const answer = await api.send('POST', `${LIST_PATH}/${encodeURIComponent(a.id)}/cancel`);
      learnServerTime(answer);
      button.dataset.done = '1';
      cancelDialog.close();
      say(t('Timen {when} er avbestilt.', { when: whenShort(a) }));
      await reloadAfterChange(null);
    } catch (err) {
      cancelDialog.close();
      ui.handleError(err);
      if (!err.handled && err.status === 409) load();
    } finally {
      cancelConfirm.disabled = false;
    }
  });

  // ---- Flytt -------------------------------------------------------------------------------------

  const moveDialog = $('move-dialog');
  const moveForm = $('move-form');
  const moveSlotGroup = $('move-slot-group');
  const moveSlotOptions = $('move-slot-options');
  const moveAll = $('move-slot-all');
  const moveConfirm = $('move-confirm');
  const clinicDetails = new Map();
  let moving = null; // {a, button, timebookId, date, slots, slot, attempt}
  let daySequence = 0;

  async function timebookFor(a) {
    const direct = (a.timebook && a.timebook.id) || a.timebook_id || (a.timebok && a.timebok.id) || a.timebok_id;
    if (direct) return direct;
    // Not in the Appointment: the practitioner's timebok from the clinic's details.
    const clinicId = a.clinic && a.clinic.id;
    if (!clinicId) return null;
    if (!clinicDetails.has(clinicId)) clinicDetails.set(clinicId, await api.get(`${BASE}/clinics/${encodeURIComponent(clinicId)}`));
    const detail = clinicDetails.get(clinicId);
    const practitioner = ((detail && detail.practitioners) || []).find((p) => a.practitioner && p.id === a.practitioner.id);
    const timebooks = (practitioner && practitioner.timebooks) || [];
    return timebooks.length ? timebooks[0].id : null;
  }

  const moveCalendar = createCalendar({
    ui, t, root: $('move-calendar'), idPrefix: 'movecal', counts: true,
    load: async (month) => {
      const query = new URLSearchParams({ month });
      if (moving.a.type && moving.a.type.id) query.set('type', moving.a.type.id);
      const answer = await api.get(`${BASE}/timebooks/${encodeURIComponent(moving.timebookId)}/month?${query}`);
      learnServerTime(answer);
      return answer;
    },
    onSelect: (date) => chooseMoveDay(date),
  });

  /** A new time inside the clinic's cancel deadline: said before Bekreft (booking/deadline.js). */
  function renderMoveDeadline() {
    const text = moving && moving.slot ? deadlineWarning(t, moving.a.clinic, moving.slot.start) : null;
    $('move-deadline-warning').hidden = !text;
    if (!text) {
      moveConfirm.removeAttribute('aria-describedby');
      return;
    }
    $('move-deadline-text').textContent = text;
    moveConfirm.setAttribute('aria-describedby', 'move-deadline-warning');
  }

  function renderMoveSlots(slots, legend, focusFrom = 0) {
    moving.slots = slots;
    moving.slot = null;
    renderMoveDeadline();
    $('move-slot-legend').textContent = legend;
    moveSlotOptions.replaceChildren(...slots.map((slot, i) => {
      const id = `move-slot-${i}`;
      const input = el('input', { type: 'radio', id, name: 'slot_id', value: slot.id });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        ui.clearErrors(moveSlotGroup);
        moving.slot = slot;
        renderMoveDeadline();
      });
      const time = osloTime(slot.start);
      const label = moving.date && osloDate(slot.start) !== moving.date
        ? t('{date} kl. {time}', { date: longDate(osloDate(slot.start)), time }) : time;
      return el('div', { class: 'choice choice-chip' }, input, el('label', { for: id }, el('time', { datetime: slot.start || '' }, label)));
    }));
    $('move-slot-none').hidden = slots.length !== 0;
    moveSlotGroup.hidden = false;
    return moveSlotOptions.querySelectorAll('input')[focusFrom] || moveSlotOptions.querySelector('input');
  }

  async function chooseMoveDay(date, { all = false } = {}) {
    ui.clearErrors(moveForm);
    moving.date = date;
    const mine = ++daySequence;
    moveAll.hidden = true;
    try {
      const query = new URLSearchParams({ date });
      if (moving.a.type && moving.a.type.id) query.set('type', moving.a.type.id);
      if (all) query.set('all', '1');
      const answer = await api.get(`${BASE}/timebooks/${encodeURIComponent(moving.timebookId)}/day?${query}`);
      if (mine !== daySequence || !moving) return;
      learnServerTime(answer);
      const before = all ? moving.slots.length : 0;
      // The appointment's own time is not a new time.
      const slots = ((answer && answer.slots) || []).filter((slot) => slot && slot.id && slot.start !== moving.a.start);
      const legend = all
        ? t('Alle ledige timer {date}', { date: longDate(date) })
        : t('Nærmeste ledige timer {date}', { date: longDate(date) });
      const first = renderMoveSlots(slots, legend, before);
      const known = moveCalendar.freeOn(date);
      moveAll.hidden = all || !(known > slots.length || (!known && slots.length >= 4));
      if (first) first.focus();
    } catch (err) {
      if (mine !== daySequence) return;
      if (err.handled) moveDialog.close();
      else ui.handleError(err, { form: moveForm, fallback: $('move-day-group') });
    }
  }

  moveAll.addEventListener('click', () => { if (moving && moving.date) chooseMoveDay(moving.date, { all: true }); });

  async function openMove(a, button) {
    ui.clearPageError();
    let timebookId = null;
    try {
      timebookId = await timebookFor(a);
    } catch (err) {
      ui.handleError(err);
      return;
    }
    if (!timebookId) {
      ui.showPageError(t('Vi fant ikke ledige timer for denne timen. Ring klinikken for å flytte den.'));
      return;
    }
    moving = { a, button, timebookId, date: null, slots: [], slot: null, attempt: null };
    renderMoveDeadline();
    ui.clearErrors(moveForm);
    $('move-text').textContent = t('Timen din nå: {when}. Velg en ny dag og et nytt tidspunkt.', { when: whenLong(a) });
    moveSlotGroup.hidden = true;
    moveSlotOptions.replaceChildren();
    moveAll.hidden = true;
    moveCalendar.clearSelection();
    moveDialog.showModal();
    await moveCalendar.show(currentMonth());
    if (moveDialog.open) moveCalendar.focus();
  }

  $('move-close').addEventListener('click', () => moveDialog.close());
  moveDialog.addEventListener('close', () => {
    const opener = moving && moving.button;
    if (opener && opener.isConnected && opener.dataset.done !== '1') opener.focus();
  });

  moveForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!moving) return;
    ui.clearErrors(moveForm);
    if (!moving.slot) {
      const target = moveSlotGroup.hidden ? $('move-day-group') : moveSlotGroup;
      ui.showFieldError(target, null, moving.date ? t('Velg et tidspunkt.') : t('Velg en dag.'));
      if (moveSlotGroup.hidden) moveCalendar.focus();
      return;
    }
    const { a, button } = moving;
    const body = { slot_id: moving.slot.id };
    if (!moving.attempt || moving.attempt.slotId !== body.slot_id) {
      moving.attempt = { key: api.newIdempotencyKey(), slotId: body.slot_id };
    }
    moveConfirm.disabled = true;
    try {
      const moved = await api.send('POST', `${LIST_PATH}/${encodeURIComponent(a.id)}/move`, body,
        { headers: { 'Idempotency-Key': moving.attempt.key } });
      button.dataset.done = '1';
      moveDialog.close();
      say(t('Timen er flyttet til {when}.', { when: whenShort(moved && moved.start ? moved : { ...a, start: moving.slot.start }) }));
      await reloadAfterChange(null);
    } catch (err) {
      if (err.status !== 0) moving.attempt = null;
      if (err.handled) {
        moveDialog.close();
      } else if (err.status === 409 && err.error === 'slot_taken') {
        const next = ((err.data && err.data.next) || []).filter((slot) => slot && slot.id);
        renderMoveSlots(next, next.length ? t('Andre ledige timer') : t('Ledige timer'));
        ui.showFieldError(moveSlotGroup, null, next.length ? err.message : `${err.message} ${t('Velg en annen dag.')}`);
        moveCalendar.refresh();
      } else {
        ui.handleError(err, { form: moveForm, fallback: moveSlotGroup.hidden ? $('move-day-group') : moveSlotGroup });
      }
    } finally {
      moveConfirm.disabled = false;
    }
  });

  // ---- Start -------------------------------------------------------------------------------------

  if (params.get('booked')) say(t('Timen er bestilt.'));
  else if (params.get('requested')) say(t('Timeforespørselen er sendt. Klinikken svarer deg så snart de kan.'));
  await selectTab(tab);
  waitlist.offer(params, listed);   // ?flytt=<appointment>&til=<time>: from a waitlist notice
}
