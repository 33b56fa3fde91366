// The data and settings kept: the tab's session store (a reload keeps them), and the start from
// the address (#data=, #example=) or the session. The encoding and storage are share.js's; the
// links with the data and the embed code are links.js's (loaded when first asked for).
import { setStatus, showBanner } from './dom.js';
import { decodeState, readHash, saveSession, loadSession, clearSession, clearHash } from './share.js';
import { readSettings, viewSettings, applySettings } from './settings.js';
import { state } from './state.js';

/**
 * `input`: the data (input.js); `analyse()`, `loadExample(name)`: start an analysis;
 * `checkSettings(json)`: the engine's word on settings (`check_settings`: null, or the first
 * setting it cannot use, as JSON [KEY, MESSAGE]; KEY empty when they are not understood as a whole).
 */
export function createSession({ input, analyse, loadExample, checkSettings }) {
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

  const check = (s) => JSON.parse(checkSettings(JSON.stringify(s)));

  /**
   * The first setting of `s` the engine refuses, [KEY, MESSAGE] (KEY `columns.HEADER` for a
   * column role), or null: each key on its own (a key the engine cannot read at all, such as a
   * value of the wrong kind, is named here: the engine names none), then all together.
   */
  function problem(s) {
    for (const k in s) {
      const q = check({ [k]: s[k] });
      const c = q?.[0] === '' && k == 'columns' && Object.keys(s[k] ?? {}).find((c) => check({ columns: { [c]: s[k][c] } }));
      if (q) return [q[0] || (c ? `columns.${c}` : k), q[1]];
    }
    return check(s);
  }

  /**
   * Settings from a link or the session into the form, checked first: a value the engine would
   * not use as given (a month of -1 days, an unknown column role, a value of the wrong kind) is
   * dropped (the setting takes its default) and named in `notes`, never kept.
   */
  function restore(settings, notes) {
    let s = { ...settings };
    for (let i = 0, p; i < 50 && (p = problem(s)); i++) {
      notes.push(`${p[0] || 'settings'}: ${p[1]}`);
      if (p[0].startsWith('columns.')) delete s.columns[p[0].slice(8)];
      else if (p[0]) delete s[p[0]];
      else s = {};
    }
    applySettings(s);
  }

  /** The data of the address (#data=, #example=), else of the session. */
  async function start() {
    const { example, data } = readHash();
    const saved = loadSession();
    const notes = [];
    if (data) {
      try {
        const st = await decodeState(data);
        restore(st.settings, notes);
        input.setDataText(st.text);
        state.source = 'data from a link';
      } catch (err) {
        showBanner(`The data in this link could not be read: ${err.message}`, 'warn');
        return analyse();
      }
    } else if (saved) restore(saved.settings, notes);
    if (example && !data) await loadExample(example);
    else if (data || saved?.text) {
      if (!data) {
        input.setDataText(saved.text);
        state.source = 'data kept in this tab';
      }
      await analyse();
      // Failing with column roles of the link or the session: analysed without them, they are
      // dropped when that works (they do not fit this data).
      const roles = state.columns;
      if (state.phase === 'error' && Object.keys(roles).length) {
        state.columns = {};
        await analyse();
        if (state.phase === 'error') state.columns = roles;
        else notes.push(`columns ${Object.keys(roles)}: no analysis with them`);
      }
    } else setStatus('Paste data, open a file, or choose an example.');
    if (notes.length) showBanner(`Settings dropped: ${notes.join('; ')}.`, 'warn');
  }

  return { fullState, persist, clear, start };
}
