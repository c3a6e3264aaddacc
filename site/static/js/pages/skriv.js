// A message to the clinic (R27, R29, R30, R31): skriv.html?type=ekonsultasjon|faktura|resept|annen
// &clinic=<id>. The clinic's options (GET /api/dialogs/clinics/<id>/start) give the kinds it lets
// patients start, the recipients of an e-consultation and its price for today (the clinic's tariff
// table, 0 kr under 16); the price, the answer time and the legevakt warning show before Send.
// Send is POST /api/dialogs/dialogs with an Idempotency-Key (kept only to retry the same attempt).

import { clinicPicker } from '../clinics.js';
import { fileUploader } from '../dialogs/files.js';
import { kindTexts } from '../dialogs/kinds.js';

const KINDS = ['ekonsultasjon', 'faktura', 'resept', 'annen'];

export async function init({ api, t, ui, lang }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const params = new URLSearchParams(window.location.search);
  const kind = KINDS.includes(params.get('type')) ? params.get('type') : 'annen';
  const texts = kindTexts(t)[kind];
  const form = $('write-form');
  const sendButton = $('send');
  const files = fileUploader({ api, t, ui, input: $('files'), list: $('file-list') });
  const state = { clinicId: null, options: null, attempt: null, attemptBody: null };
  let sequence = 0;

  $('write-title').textContent = texts.start;
  document.title = `${texts.start} – ${t('Pasientportalen')}`;
  $('write-lead').textContent = texts.lead;
  $('form-title').textContent = texts.start;
  $('text-hint').textContent = texts.hint;
  $('recipient-field').hidden = kind !== 'ekonsultasjon';
  $('invoice-field').hidden = kind !== 'faktura';
  $('prescription-fields').hidden = kind !== 'resept';
  $('text-label').textContent = kind === 'resept' ? t('Beskjed til legen (valgfritt)') : t('Beskjed');

  function option(value, text) {
    return el('option', { value }, text);
  }

  function priceText(price) {
    if (price.free_reason === 'under_16') return t('E-konsultasjonen er gratis (0 kr) for barn under 16 år.');
    if (!price.fee_ore) return t('E-konsultasjonen er gratis (0 kr).');
    return t('En e-konsultasjon koster {price} (egenandel).', { price: price.fee_display });
  }

  async function showInvoices(clinicId, mine) {
    const select = $('invoice');
    const answer = await api.get(`/api/dialogs/clinics/${encodeURIComponent(clinicId)}/invoices`);
    if (mine !== sequence) return;
    const invoices = (answer && answer.invoices) || [];
    const want = params.get('invoice');
    select.replaceChildren(
      ...(invoices.length === 1 ? [] : [option('', t('Velg faktura'))]),
      ...invoices.map((i) => option(i.id, t('Faktura {number}, {date}, {amount}', {
        number: i.number, date: formatDate(i.date), amount: i.amount_display,
      }))));
    if (want && invoices.some((i) => i.id === want)) select.value = want;
    select.hidden = invoices.length === 0;
    $('invoice-none').hidden = invoices.length !== 0;
  }

  function formatDate(day) {
    const [y, m, d] = String(day || '').split('-').map(Number);
    if (!y) return day || '';
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nb-NO', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(Date.UTC(y, m - 1, d)));
  }

  async function chooseClinic(clinicId) {
    const mine = ++sequence;
    ui.clearPageError();
    ui.clearErrors(form);
    state.clinicId = clinicId;
    state.options = null;
    state.attempt = null;
    form.hidden = true;
    $('kind-not-offered').hidden = true;
    try {
      const options = await api.get(`/api/dialogs/clinics/${encodeURIComponent(clinicId)}/start`);
      if (mine !== sequence) return;
      picker.rename(options.clinic);
      state.options = options;
      if (!(options.kinds || []).includes(kind)) {
        const notice = $('kind-not-offered');
        notice.replaceChildren(t('{clinic} tar ikke imot denne typen henvendelser i portalen. Se hva klinikken tilbyr på', { clinic: options.clinic.name }),
          ' ', el('a', { href: `/${lang}/helsehjelp.html?clinic=${encodeURIComponent(clinicId)}` }, t('Start helsehjelp')), '.');
        notice.hidden = false;
        return;
      }
      const recipients = options.recipients || [];
      $('recipient').replaceChildren(
        ...(recipients.length === 1 ? [] : [option('', t('Velg mottaker'))]),
        ...recipients.map((r) => option(r.id, r.name)));
      $('recipient').hidden = recipients.length === 0;
      $('recipient-none').hidden = recipients.length !== 0 || kind !== 'ekonsultasjon';
      if (kind === 'faktura') await showInvoices(clinicId, mine);
      if (mine !== sequence) return;
      const paid = kind === 'ekonsultasjon';
      $('price-panel').hidden = !paid;
      if (paid) {
        $('price-text').textContent = priceText(options.price);
        $('answer-days').textContent = t('Det kan ta inntil {days} arbeidsdager før du får svar.', { days: options.answer_days || 5 });
      }
      $('answer-info').textContent = paid ? '' : t('Du får svar i Pasientportalen, med varsel på e-post eller SMS. E-post er prioritert.');
      $('answer-info').hidden = paid;
      form.hidden = false;
    } catch (err) {
      if (mine !== sequence) return;
      ui.handleError(err);
    }
  }

  function body() {
    const values = ui.readForm(form, ['text', 'recipient_id', 'invoice_id', 'medicine', 'dose', 'amount']);
    const answer = { clinic_id: state.clinicId, kind, text: values.text, attachments: files.ids() };
    if (kind === 'ekonsultasjon') answer.recipient_id = values.recipient_id || null;
    if (kind === 'faktura') answer.invoice_id = values.invoice_id || null;
    if (kind === 'resept') Object.assign(answer, { medicine: values.medicine, dose: values.dose, amount: values.amount });
    return answer;
  }

  /** What the page itself can tell before asking the server (the server checks everything again). */
  function missing(values) {
    if (kind === 'ekonsultasjon' && !values.recipient_id) return ['recipient_id', t('Velg mottaker.')];
    if (kind === 'faktura' && !values.invoice_id) return ['invoice_id', t('Velg fakturaen du har spørsmål om.')];
    if (kind === 'resept') {
      for (const [name, message] of [['medicine', t('Skriv navnet på medisinen.')], ['dose', t('Skriv doseringen.')], ['amount', t('Skriv mengden.')]]) {
        if (!values[name]) return [name, message];
      }
    }
    if (kind !== 'resept' && !values.text) return ['text', t('Skriv en beskjed.')];
    return null;
  }

  const FIELDS = { recipient_id: 'recipient', invoice_id: 'invoice', attachments: 'files' };

  function showAt(field, message) {
    const control = $(FIELDS[field] || field);
    return control ? ui.showFieldError(control, null, message) : null;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    ui.clearErrors(form);
    ui.clearPageError();
    if (files.busy()) ui.announce(t('Venter på at vedleggene er lastet opp …'));
    await files.settled();
    const values = body();
    const problem = missing(values);
    if (problem) {
      showAt(problem[0], problem[1]);
      return;
    }
    const serialized = JSON.stringify(values);
    if (!state.attempt || state.attemptBody !== serialized) {
      state.attempt = api.newIdempotencyKey();
      state.attemptBody = serialized;
    }
    sendButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const dialog = await api.send('POST', '/api/dialogs/dialogs', values, { headers: { 'Idempotency-Key': state.attempt } });
      window.location.assign(`/${lang}/dialog.html?id=${encodeURIComponent(dialog.id)}&sent=1`);
    } catch (err) {
      if (err && err.status !== 0) state.attempt = null; // an answer: the next Send is a new attempt
      if (!(err && !err.handled && err.field && showAt(err.field, err.message))) ui.handleError(err);
      sendButton.disabled = false;
      form.setAttribute('aria-busy', 'false');
    }
  });

  const picker = clinicPicker({ api, t, ui, want: params.get('clinic'), onChoose: chooseClinic });
  await picker.start();
}
