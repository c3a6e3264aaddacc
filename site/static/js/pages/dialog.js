// One dialog (R26): dialog.html?id=<id>. GET /api/dialogs/dialogs/<id> (which marks it read) shows
// its facts, the messages as text (never as HTML) with their attachments (each a link through the
// ownership check to a short-lived download), and either the Svar form (the dialog is open) or the
// closed text (Svar og avslutt). A reply is POST …/messages with an Idempotency-Key.

import { fileUploader } from '../dialogs/files.js';

export async function init({ api, t, ui, formatDateTime }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const params = new URLSearchParams(window.location.search);
  const dialogId = params.get('id') || '';
  const form = $('reply-form');
  const files = fileUploader({ api, t, ui, input: $('reply-files'), list: $('reply-file-list') });
  const path = `/api/dialogs/dialogs/${encodeURIComponent(dialogId)}`;
  let attempt = null;
  let attemptBody = null;

  function size(bytes) {
    if (bytes >= 1024 * 1024) return t('{size} MB', { size: (bytes / (1024 * 1024)).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) });
    return t('{size} kB', { size: Math.max(1, Math.round(bytes / 1024)) });
  }

  function fact(term, value) {
    return value ? [el('div', {}, el('dt', {}, term), el('dd', {}, value))] : [];
  }

  function message(m) {
    const mine = m.author === 'patient';
    const item = el('li', { class: `message ${mine ? 'message-patient' : 'message-clinic'}` },
      el('p', { class: 'message-head' },
        el('span', { class: 'message-author' }, m.author_name || ''), ' ',
        el('time', { datetime: m.sent_at || '', class: 'muted' }, formatDateTime(m.sent_at))));
    if (m.answer_label) item.append(el('p', { class: 'tag answer-code' }, m.answer_label));
    item.append(el('p', { class: 'message-text' }, m.text || ''));
    if ((m.attachments || []).length) {
      item.append(el('ul', { class: 'file-list', 'aria-label': t('Vedlegg') }, m.attachments.map((a) => el('li', {},
        el('a', { href: a.url || `${path}/attachments/${encodeURIComponent(a.id)}`, rel: 'noopener' },
          a.name, el('span', { class: 'visually-hidden' }, ` (${t('vedlegg')})`)),
        ' ', el('span', { class: 'muted' }, `(${size(a.size)})`)))));
    }
    if (m.closes) item.append(el('p', { class: 'muted' }, t('Klinikken avsluttet dialogen med denne meldingen.')));
    return item;
  }

  function render(d) {
    const title = d.title || d.kind_label || t('Melding');
    $('dialog-title').textContent = title;
    document.title = `${title} – ${t('Pasientportalen')}`;
    const facts = [
      ...fact(t('Type'), d.kind_label),
      ...fact(t('Fra'), d.from),
      ...fact(t('Status'), d.status_label),
      ...fact(t('Oppdatert'), formatDateTime(d.updated_at)),
    ];
    if (d.prescription) {
      facts.push(...fact(t('Medisin'), d.prescription.medicine), ...fact(t('Dosering'), d.prescription.dose),
        ...fact(t('Mengde'), d.prescription.amount));
    }
    if (d.invoice) facts.push(...fact(t('Faktura'), d.invoice.number));
    if (d.answer_label) facts.push(...fact(t('Svar på forespørselen'), d.answer_label));
    $('dialog-facts').replaceChildren(...facts);
    $('dialog-messages').replaceChildren(...(d.messages || []).map(message));
    form.hidden = !d.can_reply;
    $('dialog-closed').hidden = d.can_reply || d.status !== 'closed';
    $('dialog').hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    ui.clearErrors(form);
    ui.clearPageError();
    await files.settled();
    const body = { text: $('reply-text').value.trim(), attachments: files.ids() };
    if (!body.text) {
      ui.showFieldError($('reply-text'), null, t('Skriv en beskjed.'));
      return;
    }
    const serialized = JSON.stringify(body);
    if (!attempt || attemptBody !== serialized) {
      attempt = api.newIdempotencyKey();
      attemptBody = serialized;
    }
    ui.setBusy(form, true);
    try {
      const d = await api.send('POST', `${path}/messages`, body, { headers: { 'Idempotency-Key': attempt } });
      attempt = null;
      form.reset();
      files.reset();
      render(d);
      $('dialog-notice').textContent = t('Svaret ditt er sendt.');
    } catch (err) {
      if (err && err.status !== 0) attempt = null;
      if (err && err.status === 409 && err.error === 'dialog_closed') {
        form.hidden = true;
        $('dialog-closed').hidden = false;
        ui.showPageError(err.message);
      } else {
        const field = err && err.field === 'attachments' ? $('reply-files') : $('reply-text');
        if (!(err && !err.handled && err.field && ui.showFieldError(field, null, err.message))) ui.handleError(err);
      }
    } finally {
      ui.setBusy(form, false);
    }
  });

  try {
    if (!dialogId) throw Object.assign(new Error('no id'), { status: 404, message: t('Fant ikke meldingen.') });
    const d = await api.get(path);
    render(d);
    if (params.get('sent') === '1') {
      $('dialog-notice').textContent = t('Meldingen er sendt. Du får varsel på e-post eller SMS når klinikken har svart.');
      params.delete('sent');
      const rest = params.toString();
      window.history.replaceState(window.history.state, '', window.location.pathname + (rest ? `?${rest}` : ''));
    }
    document.dispatchEvent(new CustomEvent('portal:unread-changed'));
  } catch (err) {
    ui.handleError(err);
  } finally {
    $('dialog-loading').hidden = true;
  }
}
