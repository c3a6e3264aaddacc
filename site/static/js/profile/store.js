// The profile page's state: the last Profile the API returned, the parts that render it, and one
// way to save (clear errors, busy, call, re-render, announce "Lagret" — or show the error and
// leave the form open with the user's input).

export const PROFILE_PATH = '/api/accounts/profile';

export function createStore({ ui, t }) {
  const renderers = [];
  const store = {
    profile: null,
    onUpdate(render) {
      renderers.push(render);
    },
    update(profile) {
      store.profile = profile;
      for (const render of renderers) render(profile);
    },
    async save(request, { form = null, fallback = null, done = null, message = null } = {}) {
      ui.clearPageError();
      if (form) {
        ui.clearErrors(form);
        ui.setBusy(form, true);
      }
      try {
        store.update(await request());
        if (done) done();
        ui.announce(message || t('Lagret'));
        return true;
      } catch (err) {
        ui.handleError(err, { form, fallback });
        return false;
      } finally {
        if (form) ui.setBusy(form, false);
      }
    },
  };
  return store;
}

/** Cancel buttons ([data-cancel]) and the Escape key close a form. */
export function wireCancel(form, close) {
  const cancel = form.querySelector('[data-cancel]');
  if (cancel) cancel.addEventListener('click', close);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
}
