// The data and settings kept and passed on: the tab's session store (a reload keeps them), links
// with the data in their fragment (#data=), the embed code, and the start from the address
// (#data=, #example=) or the session. The encoding and storage are share.js's.
import { $, setStatus, showBanner } from './dom.js';
import { encodeState, decodeState, readHash, saveSession, loadSession, clearSession, clearHash, URL_WARN_BYTES } from './share.js';
import { readSettings, viewSettings, applySettings, dropSetting } from './settings.js';
import { state } from './state.js';

/**
 * `input`: the data (input.js); `analyse()`, `loadExample(name)`: start an analysis;
 * `checkSettings(json)`: the engine's word on settings (`check_settings`: null, or the first
 * setting it cannot use, as JSON).
 */
export function createSession({ input, analyse, loadExample, checkSettings }) {
  let saveTimer = 0;

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

  async function shareLink({ embedView = false } = {}) {
    const encoded = await encodeState(fullState());
    const url = new URL(location.href);
    url.search = embedView ? '?embed=1' : '';
    url.hash = `data=${encoded}`;
    return { url: url.href, bytes: encoded.length };
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  }

  async function share() {
    const { url, bytes } = await shareLink();
    history.replaceState(null, '', url);
    const note = $('share-note');
    const copied = await copyText(url);
    note.textContent = `${copied ? 'Link copied' : 'Link is in the address bar'} (${(bytes / 1024).toFixed(1)} KB).${bytes > URL_WARN_BYTES ? ' Warning: links over about 32 KB may be cut off by mail programs and some browsers; export a file instead.' : ''} The data is inside the link: share it only as you would share the data.`;
    note.hidden = false;
  }

  async function embed() {
    const { url, bytes } = await shareLink({ embedView: true });
    const code = `<iframe src="${url.replace(/"/g, '&quot;')}" title="ALS progression results" width="900" height="700" style="border:0"></iframe>`;
    const box = $('embed-code');
    box.value = code;
    box.hidden = false;
    const copied = await copyText(code);
    box.select();
    setStatus(`${copied ? 'Embed code copied' : 'Embed code selected: copy it with Ctrl+C'}${bytes > URL_WARN_BYTES ? ' (warning: the embedded data makes a very long link)' : ''}.`);
  }

  /**
   * Settings from a link or the session into the form, checked: a value of the wrong kind, or
   * one the engine would refuse (a month of -1 days, an unknown column role), is dropped (the
   * setting takes its default) and named in the returned notes, never kept.
   */
  function restoreSettings(settings) {
    const dropped = applySettings(settings).map((k) => `${k} (not a value of the right kind)`);
    for (let i = 0; i < 50; i++) {
      let p = null;
      try {
        p = JSON.parse(checkSettings(JSON.stringify(readSettings())));
      } catch {
        break; // no engine to ask: the analysis reports what it refuses
      }
      if (!p) break;
      dropped.push(`${p.setting || 'the settings'} (${p.message})`);
      if (!p.setting) break;
      dropSetting(p.setting);
    }
    return dropped;
  }

  /**
   * The first analysis of restored settings: when it fails while column roles from the link or
   * the session are set, the data is analysed without them; when that works they are dropped
   * (they do not fit this data). Then the notes on what was dropped, on the banner.
   */
  async function analyseRestored(notes, from) {
    await analyse();
    const roles = Object.keys(state.columns);
    if (state.phase === 'error' && roles.length) {
      const kept = state.columns;
      state.columns = {};
      await analyse();
      if (state.phase === 'error') state.columns = kept;
      else notes.push(`the column roles of ${roles.map((r) => JSON.stringify(r)).join(', ')} (the data cannot be analysed with them)`);
    }
    if (notes.length) showBanner(`Settings ${from} that could not be used were dropped: ${notes.join('; ')}.`, 'warn');
  }

  /** The data of the address (#data=, #example=), else of the session. */
  async function start() {
    const { example, data } = readHash();
    const saved = loadSession();
    if (data) {
      let notes = [];
      try {
        const st = await decodeState(data);
        notes = restoreSettings(st.settings);
        input.setDataText(st.text);
      } catch (err) {
        showBanner(`The data in this link could not be read: ${err.message}`, 'warn');
        return analyse();
      }
      return analyseRestored(notes, 'in this link');
    }
    const notes = saved ? restoreSettings(saved.settings) : [];
    if (example) {
      await loadExample(example);
      if (notes.length) showBanner(`Saved settings that could not be used were dropped: ${notes.join('; ')}.`, 'warn');
      return;
    }
    if (saved?.text) {
      input.setDataText(saved.text);
      return analyseRestored(notes, 'saved in this tab');
    }
    if (notes.length) showBanner(`Saved settings that could not be used were dropped: ${notes.join('; ')}.`, 'warn');
    setStatus('Paste data, open a file, or choose an example.');
  }

  return { persist, clear, share, embed, start };
}
