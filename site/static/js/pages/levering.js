// Levering av medisin fra apotek (R40): choose a vendor and accept its terms (the lookup by
// fødselsnummer; withdrawable here), check phone and e-mail, substitution, address (or Legg til),
// Post i butikk / På døren with both prices, the medicines, Send bestilling til apoteket (POST
// /api/pharmacy/orders with an Idempotency-Key kept only to retry the same attempt); then Mine
// bestillinger with their status. Text goes in with textContent only (ui.el).

const BASE = '/api/pharmacy';

export async function init({ api, t, ui }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const form = $('order-form');
  const addressForm = $('address-form');
  const state = { vendors: [], attempt: null, attemptBody: null };

  async function loadVendors() {
    const answer = await api.get(`${BASE}/vendors`);
    state.vendors = (answer && answer.vendors) || [];
    $('vendor-list').replaceChildren(...state.vendors.map(vendorItem));
  }

  function vendorItem(v) {
    const prices = v.prices.map((p) => `${p.label}: ${p.price_display}`).join(', ');
    const actions = v.accepted
      ? [el('button', { type: 'button', class: 'button', 'data-choose': v.id }, t('Bestill fra {name}', { name: v.name })),
        el('button', { type: 'button', class: 'button button-secondary', 'data-withdraw': v.id },
          t('Trekk tilbake samtykket til {name}', { name: v.name }))]
      : [el('button', { type: 'button', class: 'button', 'data-accept': v.id }, t('Godta og velg {name}', { name: v.name }))];
    return el('li', { class: 'card stack' }, el('h3', {}, v.name), el('p', {}, v.terms), el('p', {}, prices),
      el('p', { class: 'muted' }, v.accepted ? t('Du har godtatt vilkårene.') : t('Du har ikke godtatt vilkårene.')),
      el('p', { class: 'actions' }, ...actions));
  }

  async function choose(vendorId) {
    const vendor = state.vendors.find((v) => v.id === vendorId);
    if (!vendor) return;
    form.hidden = false;
    $('vendor_id').value = vendor.id;
    $('chosen-vendor').textContent = t('Leverandør: {name}', { name: vendor.name });
    $('delivery-options').replaceChildren(...vendor.prices.map((p, n) => el('label', {},
      el('input', { type: 'radio', name: 'delivery', value: p.delivery, ...(n === 0 ? { checked: '' } : {}) }),
      ` ${p.label} – ${p.price_display}`)));
    const [contact, addresses] = await Promise.all([api.get(`${BASE}/contact`), api.get(`${BASE}/addresses`)]);
    if (!$('phone').value) $('phone').value = contact.phone || '';
    if (!$('email').value) $('email').value = contact.email || '';
    showAddresses(addresses.addresses);
    $('phone').focus();
  }

  function showAddresses(list, selected) {
    $('address_id').replaceChildren(...list.map((a) => el('option', { value: a.id },
      `${a.street}, ${a.postal_code} ${a.city}${a.registered ? ` (${t('folkeregistrert')})` : ''}`)));
    if (selected) $('address_id').value = selected;
  }

  $('vendor-list').addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    try {
      if (button.dataset.accept) {
        await api.send('PUT', `${BASE}/vendors/${encodeURIComponent(button.dataset.accept)}/consent`);
        await loadVendors();
        await choose(button.dataset.accept);
      } else if (button.dataset.withdraw) {
        await api.send('DELETE', `${BASE}/vendors/${encodeURIComponent(button.dataset.withdraw)}/consent`);
        if ($('vendor_id').value === button.dataset.withdraw) form.hidden = true;
        await loadVendors();
        ui.announce(t('Samtykket er trukket tilbake.'));
      } else if (button.dataset.choose) {
        await choose(button.dataset.choose);
      }
    } catch (err) {
      ui.handleError(err);
    }
  });

  $('address-toggle').addEventListener('click', () => ui.openForm($('address-toggle'), addressForm));
  addressForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    ui.clearErrors(addressForm);
    try {
      const added = await api.send('POST', `${BASE}/addresses`, ui.readForm(addressForm, ['street', 'postal_code', 'city']));
      const list = await api.get(`${BASE}/addresses`);
      showAddresses(list.addresses, added.id);
      ui.closeForm($('address-toggle'), addressForm);
      ui.announce(t('Adressen er lagt til.'));
    } catch (err) {
      ui.handleError(err, { form: addressForm });
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    ui.clearErrors(form);
    const values = ui.readForm(form, ['vendor_id', 'phone', 'email', 'address_id']);
    const body = {
      ...values,
      substitution: form.elements.namedItem('substitution').value === 'yes',
      delivery: form.elements.namedItem('delivery').value,
      medicines: $('medicines').value.split('\n').map((line) => line.trim()).filter(Boolean),
    };
    const text = JSON.stringify(body);
    if (state.attemptBody !== text) {
      state.attempt = api.newIdempotencyKey();
      state.attemptBody = text;
    }
    ui.setBusy(form, true);
    try {
      await api.send('POST', `${BASE}/orders`, body, { headers: { 'Idempotency-Key': state.attempt } });
      state.attempt = null;
      state.attemptBody = null;
      $('medicines').value = '';
      form.hidden = true;
      await loadOrders();
      ui.announce(t('Bestillingen er sendt til apoteket.'));
      $('orders-title').focus();
    } catch (err) {
      const field = err && err.field && err.field.startsWith('medicines') ? 'medicines' : null;
      if (field) ui.showFieldError(form, field, err.message);
      else ui.handleError(err, { form });
    } finally {
      ui.setBusy(form, false);
    }
  });

  async function loadOrders() {
    const answer = await api.get(`${BASE}/orders`);
    const orders = (answer && answer.orders) || [];
    $('orders-none').hidden = orders.length !== 0;
    $('order-list').replaceChildren(...orders.map((o) => el('li', { class: 'card stack', 'data-order': o.id },
      el('h3', {}, t('Bestilling {date}', { date: o.created_display })),
      el('p', { class: 'tag' }, o.status_label),
      el('p', {}, `${o.vendor_name} – ${o.delivery_label} – ${o.price_display}`),
      el('p', {}, `${o.address.street}, ${o.address.postal_code} ${o.address.city}`),
      el('ul', {}, ...o.medicines.map((m) => el('li', {}, m))))));
  }

  $('orders-title').setAttribute('tabindex', '-1');
  try {
    await Promise.all([loadVendors(), loadOrders()]);
  } catch (err) {
    ui.handleError(err);
  }
}
