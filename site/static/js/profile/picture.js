// Profilbilde (R8): drag-and-drop onto the round area's zone, or the "Datamaskin" file picker.
// The server checks the content and re-encodes; here only the declared type is checked first.

const PICTURE_PATH = '/api/accounts/profile/picture';
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export function setupPicture({ api, ui, t }, store) {
  const section = document.getElementById('picture');
  const drop = document.getElementById('picture-drop');
  const input = document.getElementById('picture-input');
  const pick = document.getElementById('picture-pick');
  const img = document.getElementById('picture-img');
  const empty = document.getElementById('picture-empty');

  async function upload(file) {
    ui.clearErrors(section);
    if (!file) return;
    if (!TYPES.includes(file.type)) {
      ui.showFieldError(pick, null, t('Filen er ikke et bilde. Bruk JPEG, PNG eller WebP.'));
      return;
    }
    drop.classList.add('is-busy');
    ui.announce(t('Laster opp bildet …'));
    try {
      await store.save(() => api.upload(PICTURE_PATH, file), { fallback: pick });
    } finally {
      drop.classList.remove('is-busy');
      input.value = '';
    }
  }

  const choose = () => input.click();
  pick.addEventListener('click', choose);
  document.getElementById('picture-change').addEventListener('click', choose);
  input.addEventListener('change', () => upload(input.files && input.files[0]));

  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      drop.classList.add('is-dragover');
    });
  }
  drop.addEventListener('dragleave', (event) => {
    if (!drop.contains(event.relatedTarget)) drop.classList.remove('is-dragover');
  });
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('is-dragover');
    upload(event.dataTransfer && event.dataTransfer.files[0]);
  });
  // A file dropped beside the zone must not make the browser leave the page to show it.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => {
      if (!drop.contains(event.target)) event.preventDefault();
    });
  }

  store.onUpdate((profile) => {
    if (profile.picture_url) {
      img.src = profile.picture_url;
      img.hidden = false;
      empty.hidden = true;
    } else {
      img.removeAttribute('src');
      img.hidden = true;
      empty.hidden = false;
    }
  });
}
