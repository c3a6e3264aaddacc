// Telefonnummer (R7): edit ("Endre <number>") and delete ("Slett <number>") each number;
// "Legg til" opens a form for a new one.

import { wireCancel } from './store.js';

const PHONES_PATH = '/api/accounts/profile/phones';
/** A number as the server groups it for reading ("+47 41 23 45 24"); stored and edited in E.164. */
const shown = (phone) => phone.display || phone.number;

export function setupPhones({ api, ui, t }, store) {
  const form = document.getElementById('phone-form');
  const toggle = document.getElementById('phone-add');
  const list = document.getElementById('phone-list');
  const none = document.getElementById('phone-none');
  const close = () => ui.closeForm(toggle, form);
  const phonePath = (phone) => `${PHONES_PATH}/${encodeURIComponent(phone.id)}`;

  toggle.addEventListener('click', () => (form.hidden ? ui.openForm(toggle, form) : close()));
  wireCancel(form, close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = ui.readForm(form, ['number']);
    await store.save(() => api.send('POST', PHONES_PATH, body), { form, done: close });
  });

  function itemButton(label, phone, className) {
    // The name starts with the visible text (WCAG 2.5.3) and says which number it acts on.
    return ui.el('button', {
      type: 'button', class: `button button-small ${className}`, 'aria-label': `${label} ${shown(phone)}`,
    }, label);
  }

  function showItem(item, phone, index) {
    const editButton = itemButton(t('Endre'), phone, 'button-secondary');
    const deleteButton = itemButton(t('Slett'), phone, 'button-danger');
    editButton.addEventListener('click', () => showEditor(item, phone, index));
    deleteButton.addEventListener('click', () => remove(phone, deleteButton));
    item.replaceChildren(ui.el('span', { class: 'item-text' }, shown(phone)),
      ui.el('span', { class: 'item-actions' }, editButton, deleteButton));
    return editButton;
  }

  function showEditor(item, phone, index) {
    const inputId = `phone-${index}-number`;
    const editor = ui.el('form', { class: 'inline-form', novalidate: true },
      ui.el('div', { class: 'field' },
        ui.el('label', { for: inputId }, t('Telefonnummer')),
        ui.el('input', { id: inputId, name: 'number', type: 'tel', autocomplete: 'tel', required: true })),
      ui.el('div', { class: 'actions' },
        ui.el('button', { type: 'submit', class: 'button' }, t('Lagre')),
        ui.el('button', { type: 'button', class: 'button button-secondary', 'data-cancel': true }, t('Avbryt'))));
    editor.elements.namedItem('number').value = phone.number;
    wireCancel(editor, () => showItem(item, phone, index).focus());
    editor.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = ui.readForm(editor, ['number']);
      const focusItem = () => {
        const button = list.children[index] && list.children[index].querySelector('button');
        if (button) button.focus();
      };
      await store.save(() => api.send('PUT', phonePath(phone), body), { form: editor, done: focusItem });
    });
    item.replaceChildren(editor);
    editor.elements.namedItem('number').focus();
  }

  async function remove(phone, button) {
    button.disabled = true;
    const done = () => toggle.focus();
    const ok = await store.save(() => api.send('DELETE', phonePath(phone)), {
      done,
      message: t('Telefonnummeret {number} er slettet.', { number: shown(phone) }),
    });
    if (!ok) button.disabled = false;
  }

  store.onUpdate((profile) => {
    const phones = profile.phones || [];
    list.replaceChildren(...phones.map((phone, index) => {
      const item = ui.el('li', {});
      showItem(item, phone, index);
      return item;
    }));
    list.hidden = phones.length === 0;
    none.hidden = phones.length !== 0;
  });
}
