// The data and settings kept: the tab's session store (a reload keeps them), and the start from
// the address (#data=, #example=) or the session. The encoding and storage are share.js's; the
// links with the data and the embed code are links.js's (loaded when first asked for).
import { setStatus, showBanner } from './dom.js';
import { decodeState, readHash, saveSession, loadSession, clearSession, clearHash } from './share.js';
import { readSettings, viewSettings, applySettings } from './settings.js';
import { state } from './state.js';

/** `input`: the data (input.js); `analyse()`, `loadExample(name)`: start an analysis. */
export function createSession({ input, analyse, loadExample }) {
  let saveTimer = 0;

  /** The data and all the settings (what a link carries: www/links.js). */
  function fullState() {
    return { text: input.dataText(), settings: { ...readSettings(), ...viewSettings() } };
  }

  /** Save text and settings in the session store (soon: edits come in bursts). */
  function persist() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      // sessionStorage holds a few MB; a larger text would only cost time and fail.
      const st = fullState();
      if (st.text.length > 4 * 1024 * 1024) {
        saveSession({ ...st, text: '' }); // settings only: never an older, smaller data set
        state.notSaved = true;
      } else state.notSaved = !saveSession(st);
    }, 200);
  }

  /** Forget the saved data (and a save still to come). */
  function clear() {
    clearTimeout(saveTimer);
    clearSession();
    clearHash();
  }

  /** The data of the address (#data=, #example=), else of the session. */
  async function start() {
    const { example, data } = readHash();
    const saved = loadSession();
    if (data) {
      try {
        const st = await decodeState(data);
        applySettings(st.settings);
        input.setDataText(st.text);
        state.source = 'data from a link';
      } catch (err) {
        showBanner(`The data in this link could not be read: ${err.message}`, 'warn');
      }
      return analyse();
    }
    if (saved) applySettings(saved.settings);
    if (example) return loadExample(example);
    if (saved?.text) {
      input.setDataText(saved.text);
      state.source = 'data kept in this tab';
      return analyse();
    }
    setStatus('Paste data, open a file, or choose an example.');
  }

  return { fullState, persist, clear, start };
}
