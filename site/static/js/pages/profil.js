// Min profil (R5–R9): every part renders from GET /api/accounts/profile and from the Profile each
// change returns.

import { setupAddresses } from '../profile/addresses.js';
import { setupContact } from '../profile/contact.js';
import { setupPersonal } from '../profile/personal.js';
import { setupPhones } from '../profile/phones.js';
import { setupPicture } from '../profile/picture.js';
import { createStore, PROFILE_PATH } from '../profile/store.js';

export async function init(ctx) {
  const store = createStore(ctx);
  for (const setup of [setupPersonal, setupPicture, setupAddresses, setupPhones, setupContact]) setup(ctx, store);
  try {
    store.update(await ctx.api.get(PROFILE_PATH));
    document.getElementById('profile').hidden = false;
  } catch (err) {
    ctx.ui.handleError(err);
  } finally {
    document.getElementById('profile-loading').hidden = true;
  }
}
