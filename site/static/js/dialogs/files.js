// "Legg ved": each chosen file is uploaded at once (POST /api/dialogs/attachments, the raw file with
// its name in X-File-Name) and listed with a Fjern button; the message then names the uploads' ids.
// The server checks the content (JPEG, PNG, PDF) and the sizes; its errors show at the file field.

const UPLOAD = '/api/dialogs/attachments';
const TOTAL_MAX = 12 * 1024 * 1024;

export function fileUploader({ api, t, ui, input, list }) {
  const { el } = ui;
  let files = [];
  let pending = Promise.resolve();
  let uploading = 0;

  function size(bytes) {
    if (bytes >= 1024 * 1024) return t('{size} MB', { size: (bytes / (1024 * 1024)).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) });
    return t('{size} kB', { size: Math.max(1, Math.round(bytes / 1024)) });
  }

  function render() {
    list.replaceChildren(...files.map((f) => {
      const remove = el('button', { type: 'button', class: 'button button-small button-secondary' }, t('Fjern'),
        el('span', { class: 'visually-hidden' }, ` ${f.name}`));
      remove.addEventListener('click', () => {
        files = files.filter((other) => other.id !== f.id);
        render();
        ui.announce(t('{name} er fjernet.', { name: f.name }));
        input.focus();
      });
      return el('li', {}, el('span', { class: 'file-name' }, f.name), ' ', el('span', { class: 'muted' }, `(${size(f.size)})`), ' ', remove);
    }));
  }

  async function uploadOne(file) {
    const used = files.reduce((sum, f) => sum + f.size, 0);
    if (used + file.size > TOTAL_MAX) {
      ui.showFieldError(input, null, t('Vedleggene kan til sammen være høyst 12 MB. {name} er for stor.', { name: file.name }));
      return;
    }
    uploading += 1;
    ui.announce(t('Laster opp {name} …', { name: file.name }));
    try {
      const answer = await api.postFile(UPLOAD, file, { headers: { 'X-File-Name': encodeURIComponent(file.name) } });
      files.push(answer);
      render();
      ui.announce(t('{name} er lagt ved.', { name: answer.name || file.name }));
    } catch (err) {
      if (err && !err.handled && err.status) {
        ui.showFieldError(input, null, `${file.name}: ${err.message}`);
      } else {
        ui.handleError(err, { fallback: input });
      }
    } finally {
      uploading -= 1;
    }
  }

  input.addEventListener('change', () => {
    ui.clearErrors(input.closest('.field'));
    const chosen = [...input.files];
    input.value = '';
    pending = pending.then(async () => {
      for (const file of chosen) await uploadOne(file);
    });
  });

  return {
    /** Resolves when every upload started so far has finished. */
    settled: () => pending,
    busy: () => uploading > 0,
    ids: () => files.map((f) => f.id),
    reset() {
      files = [];
      render();
    },
  };
}
