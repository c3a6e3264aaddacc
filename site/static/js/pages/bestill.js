// Bestill konsultasjon (R16–R20, docs/booking.md): clinic (attached first, preselected; or search)
// → Behandler (→ Timebok when the practitioner has several) → type time (video only where the
// clinic has video; ?video=1 preselects a video type) → then by the clinic's booking_mode:
//   timebok: month calendar with free counts → nearest free times ("Vis alle": all that day) →
//            Bemerkning → Bekreft (POST /appointments with an Idempotency-Key); 409 slot_taken
//            shows the server's message and the next free times to pick again. A time inside the
//            clinic's cancel deadline (cancel_deadline_hours) is marked before Bekreft: it cannot
//            be cancelled or moved online once booked.
//   request: month calendar (no counts) → the clinic's intervals (past ones on today disabled) →
//            Bemerkning → Bekreft (POST /requests).
// Success goes to konsultasjoner.html?booked=<id> (a request: ?requested=<id>).
// "Kanseller bestilling" goes back to the overview without booking.

import { createCalendar } from '../booking/calendar.js';
import { clinicPicker } from '../clinics.js';
import { deadlineWarning } from '../booking/deadline.js';
import {
  clockMinutes, currentMonth, learnServerTime, longDate, minutesNowOslo, osloDate, osloTime, setServerTime, todayOslo,
} from '../booking/time.js';

const BASE = '/api/booking';
const REMARK_MAX = 500;

export async function init({ api, t, ui, lang, session }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  setServerTime(session && (session.server_time || session.now));

  const params = new URLSearchParams(window.location.search);
  const wantVideo = params.get('video') === '1';
  const wantClinic = params.get('clinic');

  const form = $('booking-form');
  const searchInput = $('clinic-search');
  const practitionerSelect = $('practitioner');
  const timebookSelect = $('timebook');
  const slotGroup = $('slot-group');
  const slotOptions = $('slot-options');
  const slotAll = $('slot-all');
  const intervalGroup = $('interval-group');
  const intervalOptions = $('interval-options');
  const remark = $('remark');
  const confirm = $('booking-confirm');

  const state = {
    clinic: null, // the chosen clinic's detail (Clinic + practitioners, types, intervals)
    practitioner: null,
    timebookId: null,
    type: null,
    date: null,
    slots: [], // the free times listed now
    slot: null,
    interval: null,
    attempt: null, // {key, body}: reused only to retry an attempt that got no answer
  };
  let calendarKey = null; // what the timebok calendar shows now (timebok + type), or 'request'
  let clinicSequence = 0;
  let daySequence = 0;

  $('video-intro').hidden = !wantVideo;

  // ---- Clinic ----------------------------------------------------------------------------------

  function clinicDescription(clinic) {
    const parts = [];
    if (clinic.place) parts.push(clinic.place);
    if (clinic.booking_mode === 'timebok') parts.push(t('Timebok'));
    if (clinic.booking_mode === 'request') parts.push(t('Timeforespørsel'));
    if (clinic.video) parts.push(t('Videokonsultasjon'));
    return parts.join(' · ');
  }

  async function chooseClinic(clinicId) {
    const mine = ++clinicSequence;
    ui.clearErrors(form);
    ui.clearPageError();
    resetFrom('clinic');
    try {
      const detail = await api.get(`${BASE}/clinics/${encodeURIComponent(clinicId)}`);
      if (mine !== clinicSequence) return;
      learnServerTime(detail);
      state.clinic = detail;
      picker.rename(detail);
      showClinic();
    } catch (err) {
      if (mine !== clinicSequence) return;
      ui.handleError(err);
    }
  }

  // ---- Practitioner, timebok, type ---------------------------------------------------------------

  function isTimebok() {
    return Boolean(state.clinic) && state.clinic.booking_mode !== 'request';
  }

  function option(value, text) {
    return el('option', { value }, text);
  }

  function showClinic() {
    const clinic = state.clinic;
    $('clinic-mode').textContent = isTimebok()
      ? t('{clinic} bruker timebok: du bestiller en ledig time direkte.', { clinic: clinic.name })
      : t('{clinic} bruker timeforespørsel: du ønsker dag og tidsintervall, og klinikken svarer.', { clinic: clinic.name });
    const practitioners = clinic.practitioners || [];
    practitionerSelect.replaceChildren(
      ...(practitioners.length === 1 ? [] : [option('', t('Velg behandler'))]),
      ...practitioners.map((p) => option(p.id, p.name)));
    $('practitioner-step').hidden = false;
    $('confirm-step').hidden = false;
    if (practitioners.length === 1) choosePractitioner(practitioners[0].id);
    else update();
  }

  function choosePractitioner(id) {
    resetFrom('practitioner');
    const practitioners = (state.clinic && state.clinic.practitioners) || [];
    state.practitioner = practitioners.find((p) => p.id === id) || null;
    practitionerSelect.value = state.practitioner ? state.practitioner.id : '';
    const timebooks = (state.practitioner && state.practitioner.timebooks) || [];
    const field = $('timebook-field');
    field.hidden = !isTimebok() || timebooks.length < 2;
    timebookSelect.replaceChildren(
      ...(timebooks.length > 1 ? [option('', t('Velg timebok'))] : []),
      ...timebooks.map((tb) => option(tb.id, tb.name || tb.id)));
    state.timebookId = timebooks.length === 1 ? timebooks[0].id : null;
    timebookSelect.value = state.timebookId || '';
    $('timebook-none').hidden = !(isTimebok() && state.practitioner && timebooks.length === 0);
    renderTypes();
    update();
  }

  practitionerSelect.addEventListener('change', () => {
    ui.clearErrors(form);
    choosePractitioner(practitionerSelect.value);
  });
  timebookSelect.addEventListener('change', () => {
    ui.clearErrors(form);
    resetFrom('timebook');
    state.timebookId = timebookSelect.value || null;
    update();
  });

  function bookableTypes() {
    const types = (state.clinic && state.clinic.types) || [];
    return types.filter((type) => !type.video || state.clinic.video);
  }

  function renderTypes() {
    const types = bookableTypes();
    let preselect = null;
    if (wantVideo) preselect = types.find((type) => type.video) || null;
    if (!preselect && types.length === 1) preselect = types[0];
    state.type = preselect;
    $('type-options').replaceChildren(...types.map((type, i) => {
      const id = `type-${i}`;
      const input = el('input', { type: 'radio', id, name: 'type_id', value: type.id, 'aria-describedby': `${id}-desc` });
      input.checked = preselect === type;
      input.addEventListener('change', () => {
        if (!input.checked) return;
        ui.clearErrors(form);
        resetFrom('type');
        state.type = type;
        update();
      });
      const about = [];
      if (type.minutes) about.push(t('{minutes} min', { minutes: type.minutes }));
      if (type.video) about.push(t('Videokonsultasjon'));
      return el('div', { class: 'choice choice-card' }, input, el('label', { for: id }, type.name || ''),
        el('span', { class: 'choice-desc', id: `${id}-desc` }, about.join(' · ')));
    }));
    $('type-group').hidden = types.length === 0;
    $('type-none').hidden = types.length !== 0;
    $('video-unavailable').hidden = !(wantVideo && !types.some((type) => type.video));
  }

  // ---- Timebok: calendar and free times ----------------------------------------------------------

  const timeCalendar = createCalendar({
    ui, t, root: $('calendar'), idPrefix: 'cal', counts: true,
    load: async (month) => {
      const query = new URLSearchParams({ month });
      if (state.type) query.set('type', state.type.id);
      const answer = await api.get(`${BASE}/timebooks/${encodeURIComponent(state.timebookId)}/month?${query}`);
      learnServerTime(answer);
      return answer;
    },
    onSelect: (date) => chooseDay(date),
  });

  function slotLabel(slot) {
    const time = osloTime(slot.start);
    return state.date && osloDate(slot.start) !== state.date
      ? t('{date} kl. {time}', { date: longDate(osloDate(slot.start)), time }) : time;
  }

  function renderSlots(slots, { legend, focusFrom = 0 } = {}) {
    state.slots = slots;
    state.slot = null;
    $('slot-legend').textContent = legend;
    slotOptions.replaceChildren(...slots.map((slot, i) => {
      const id = `slot-${i}`;
      const input = el('input', { type: 'radio', id, name: 'slot_id', value: slot.id });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        ui.clearErrors(slotGroup);
        state.slot = slot;
        update();
      });
      return el('div', { class: 'choice choice-chip' }, input,
        el('label', { for: id }, el('time', { datetime: slot.start || '' }, slotLabel(slot))));
    }));
    $('slot-none').hidden = slots.length !== 0;
    slotGroup.hidden = false;
    update();
    const first = slotOptions.querySelectorAll('input')[focusFrom] || slotOptions.querySelector('input');
    return first;
  }

  async function chooseDay(date, { all = false } = {}) {
    ui.clearErrors(form);
    const keep = all && state.date === date ? state.slot : null; // "Vis alle" keeps a time already picked
    state.date = date;
    state.slot = null;
    const mine = ++daySequence;
    slotAll.hidden = true;
    slotGroup.setAttribute('aria-busy', 'true');
    try {
      const query = new URLSearchParams({ date });
      if (state.type) query.set('type', state.type.id);
      if (all) query.set('all', '1');
      const answer = await api.get(`${BASE}/timebooks/${encodeURIComponent(state.timebookId)}/day?${query}`);
      if (mine !== daySequence) return;
      learnServerTime(answer);
      const slots = ((answer && answer.slots) || []).filter((slot) => slot && slot.id);
      const before = all ? state.slots.length : 0;
      const legend = all
        ? t('Alle ledige timer {date}', { date: longDate(date) })
        : t('Nærmeste ledige timer {date}', { date: longDate(date) });
      const first = renderSlots(slots, { legend, focusFrom: before });
      const kept = keep && slotOptions.querySelector(`input[value="${CSS.escape(keep.id)}"]`);
      if (kept) {
        kept.checked = true;
        state.slot = slots.find((slot) => slot.id === keep.id) || keep;
        update();
      }
      const known = timeCalendar.freeOn(date);
      slotAll.hidden = all || !(known > slots.length || (!known && slots.length >= 4));
      if (first) first.focus();
      else slotGroup.querySelector('legend').scrollIntoView({ block: 'nearest' });
      if (all) ui.announce(t('Viser alle {count} ledige timer.', { count: slots.length }));
    } catch (err) {
      if (mine !== daySequence) return;
      ui.handleError(err);
    } finally {
      if (mine === daySequence) slotGroup.setAttribute('aria-busy', 'false');
    }
  }

  slotAll.addEventListener('click', () => { if (state.date) chooseDay(state.date, { all: true }); });

  // ---- Request: calendar and intervals -----------------------------------------------------------

  /** R19: an interval whose start has passed (Oslo time, by the server's clock) is past. */
  function intervalIsPast(interval, date) {
    if (date !== todayOslo()) return date < todayOslo();
    const start = clockMinutes(interval.start);
    return Number.isNaN(start) || start <= minutesNowOslo();
  }

  const requestCalendar = createCalendar({
    ui, t, root: $('request-calendar'), idPrefix: 'reqcal', counts: false,
    isDisabled: (date) => {
      const intervals = (state.clinic && state.clinic.intervals) || [];
      return intervals.length > 0 && intervals.every((interval) => intervalIsPast(interval, date));
    },
    onSelect: (date) => chooseRequestDay(date),
  });

  function chooseRequestDay(date) {
    ui.clearErrors(form);
    state.date = date;
    state.interval = null;
    const intervals = (state.clinic && state.clinic.intervals) || [];
    $('interval-legend').textContent = t('Tidsintervall {date}', { date: longDate(date) });
    intervalOptions.replaceChildren(...intervals.map((interval, i) => {
      const id = `interval-${i}`;
      const past = intervalIsPast(interval, date);
      const input = el('input', { type: 'radio', id, name: 'interval_id', value: interval.id, disabled: past });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        ui.clearErrors(intervalGroup);
        state.interval = interval;
        update();
      });
      const text = `${interval.start}–${interval.end}`;
      return el('div', { class: past ? 'choice choice-chip is-past' : 'choice choice-chip' }, input,
        el('label', { for: id }, past ? t('{interval} (passert)', { interval: text }) : text));
    }));
    $('interval-none').hidden = intervals.some((interval) => !intervalIsPast(interval, date));
    intervalGroup.hidden = false;
    update();
    const first = intervalOptions.querySelector('input:not(:disabled)');
    if (first) first.focus();
  }

  // ---- Steps, summary, remark ------------------------------------------------------------------

  /** Forget the choices after `level` (clinic > practitioner > timebook > type). */
  function resetFrom(level) {
    const order = ['clinic', 'practitioner', 'timebook', 'type'];
    const from = order.indexOf(level);
    if (from <= 0) {
      state.clinic = null;
      state.practitioner = null;
      for (const step of ['practitioner-step', 'type-step', 'time-step', 'request-step']) $(step).hidden = true;
    }
    if (from <= 1) {
      state.practitioner = null;
      state.timebookId = null;
      state.type = null;
      $('timebook-field').hidden = true;
      $('timebook-none').hidden = true;
    }
    state.date = null;
    state.slot = null;
    state.slots = [];
    state.interval = null;
    state.attempt = null;
    timeCalendar.clearSelection();
    requestCalendar.clearSelection();
    slotGroup.hidden = true;
    slotOptions.replaceChildren();
    slotAll.hidden = true;
    intervalGroup.hidden = true;
    intervalOptions.replaceChildren();
    calendarKey = null;
  }

  function update() {
    const clinic = state.clinic;
    const readyForType = Boolean(clinic && state.practitioner && (!isTimebok() || state.timebookId));
    $('type-step').hidden = !readyForType;
    const ready = readyForType && Boolean(state.type);
    $('time-step').hidden = !(ready && isTimebok());
    $('request-step').hidden = !(ready && !isTimebok());
    if (ready && isTimebok()) {
      const key = `${state.timebookId}|${state.type.id}`;
      if (key !== calendarKey) {
        calendarKey = key;
        timeCalendar.show(timeCalendar.month < currentMonth() ? currentMonth() : timeCalendar.month);
      }
    } else if (ready && calendarKey !== 'request') {
      calendarKey = 'request';
      requestCalendar.show(requestCalendar.month < currentMonth() ? currentMonth() : requestCalendar.month);
    }
    renderSummary();
  }

  /** A chosen time inside the clinic's cancel deadline: said before Bekreft, and made Bekreft's
   *  description (booking/deadline.js). */
  function renderDeadline(complete) {
    const text = complete && isTimebok() ? deadlineWarning(t, state.clinic, state.slot.start) : null;
    $('deadline-warning').hidden = !text;
    if (!text) {
      confirm.removeAttribute('aria-describedby');
      return;
    }
    $('deadline-warning-text').textContent = text;
    confirm.setAttribute('aria-describedby', 'deadline-warning');
  }

  function renderSummary() {
    const complete = Boolean(state.clinic && state.practitioner && state.type
      && (isTimebok() ? state.slot : state.date && state.interval));
    $('summary').hidden = !complete;
    renderDeadline(complete);
    if (!complete) return;
    $('summary-clinic').textContent = state.clinic.name || '';
    $('summary-practitioner').textContent = state.practitioner.name || '';
    // A video type whose name does not say so gets "(Videokonsultasjon)"; "Videokonsultasjon" itself does not.
    $('summary-type').textContent = state.type.video && !/video/i.test(state.type.name || '')
      ? `${state.type.name} (${t('Videokonsultasjon')})` : state.type.name || '';
    if (isTimebok()) {
      $('summary-when-label').textContent = t('Tidspunkt');
      $('summary-when').textContent = t('{date} kl. {time}', { date: longDate(osloDate(state.slot.start)), time: osloTime(state.slot.start) });
    } else {
      $('summary-when-label').textContent = t('Ønsket tidspunkt');
      $('summary-when').textContent = `${longDate(state.date)}, ${state.interval.start}–${state.interval.end}`;
    }
  }

  let remarkTimer = null;
  function updateCount({ speak = false } = {}) {
    const text = t('{count} av {max} tegn', { count: remark.value.length, max: REMARK_MAX });
    $('remark-count').textContent = text;
    clearTimeout(remarkTimer);
    if (speak) remarkTimer = setTimeout(() => { $('remark-live').textContent = text; }, 1000);
  }
  remark.addEventListener('input', () => updateCount({ speak: true }));
  updateCount();

  // ---- Confirm -----------------------------------------------------------------------------------

  function clinicTarget() {
    const checked = form.querySelector('input[name="clinic_id"]:checked');
    if (checked) return checked.closest('fieldset');
    return $('clinic-group').hidden ? searchInput : $('clinic-group');
  }

  const targets = {
    clinic_id: clinicTarget,
    practitioner_id: () => practitionerSelect,
    timebook_id: () => timebookSelect,
    type_id: () => $('type-group'),
    slot_id: () => (slotGroup.hidden ? $('day-group') : slotGroup),
    date: () => (isTimebok() ? $('day-group') : $('date-group')),
    interval_id: () => (intervalGroup.hidden ? $('date-group') : intervalGroup),
    remark: () => remark,
  };

  function showAt(field, message) {
    const target = targets[field] ? targets[field]() : null;
    if (!target || target.closest('[hidden]')) return false;
    ui.showFieldError(target, null, message);
    if (target.id === 'day-group') timeCalendar.focus();
    else if (target.id === 'date-group') requestCalendar.focus();
    else if (target.tagName === 'FIELDSET' && !target.contains(document.activeElement)) {
      const focusable = target.querySelector('input:not(:disabled), button:not(:disabled)');
      if (focusable) focusable.focus();
    }
    return true;
  }

  function missingChoice() {
    if (!state.clinic) return ['clinic_id', t('Velg en klinikk.')];
    if (!state.practitioner) return ['practitioner_id', t('Velg en behandler.')];
    if (isTimebok() && !state.timebookId) return ['timebook_id', t('Velg en timebok.')];
    if (!state.type) return ['type_id', t('Velg type time.')];
    if (!state.date) return ['date', t('Velg en dag.')];
    if (isTimebok() && !state.slot) return ['slot_id', t('Velg et tidspunkt.')];
    if (!isTimebok() && !state.interval) return ['interval_id', t('Velg et tidsintervall.')];
    if (remark.value.length > REMARK_MAX) return ['remark', t('Bemerkningen kan ha høyst {max} tegn.', { max: REMARK_MAX })];
    return null;
  }

  function request() {
    if (isTimebok()) {
      return { path: `${BASE}/appointments`, body: { slot_id: state.slot.id, remark: remark.value.trim() } };
    }
    return {
      path: `${BASE}/requests`,
      body: {
        clinic_id: state.clinic.id,
        practitioner_id: state.practitioner.id,
        date: state.date,
        interval_id: state.interval.id,
        type_id: state.type.id,
        remark: remark.value.trim(),
      },
    };
  }

  function slotTaken(err) {
    const next = ((err.data && err.data.next) || []).filter((slot) => slot && slot.id);
    state.attempt = null;
    if (!state.date && next[0]) state.date = osloDate(next[0].start);
    renderSlots(next, { legend: next.length ? t('Andre ledige timer') : t('Ledige timer') });
    slotAll.hidden = true;
    ui.showFieldError(slotGroup, null, next.length ? err.message : `${err.message} ${t('Velg en annen dag.')}`);
    const first = slotOptions.querySelector('input');
    (first || timeCalendar).focus();
    timeCalendar.refresh(); // the counts changed
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    ui.clearErrors(form);
    ui.clearPageError();
    const missing = missingChoice();
    if (missing) {
      if (!showAt(missing[0], missing[1])) ui.showPageError(missing[1]);
      return;
    }
    const { path, body } = request();
    const fingerprint = JSON.stringify([path, body]);
    // One new key per attempt; the same key only to retry an attempt that got no answer.
    if (!state.attempt || state.attempt.fingerprint !== fingerprint) {
      state.attempt = { key: api.newIdempotencyKey(), fingerprint };
    }
    confirm.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const created = await api.send('POST', path, body, { headers: { 'Idempotency-Key': state.attempt.key } });
      state.attempt = null;
      const id = encodeURIComponent((created && created.id) || '');
      window.location.assign(`/${lang}/konsultasjoner.html?${isTimebok() ? 'booked' : 'requested'}=${id}`);
      return;
    } catch (err) {
      if (err && err.status !== 0) state.attempt = null;
      if (err && err.status === 409 && err.error === 'slot_taken' && isTimebok()) slotTaken(err);
      else if (!(err && !err.handled && err.field && showAt(err.field, err.message))) ui.handleError(err);
    } finally {
      confirm.disabled = false;
      form.setAttribute('aria-busy', 'false');
    }
  });

  $('booking-cancel').addEventListener('click', () => {
    window.location.assign(`/${lang}/oversikt.html`);
  });

  // ---- Start -------------------------------------------------------------------------------------

  const picker = clinicPicker({
    api, t, ui, want: wantClinic, describe: clinicDescription, onList: learnServerTime,
    onChoose: (clinicId) => chooseClinic(clinicId),
  });
  await picker.start();
}
