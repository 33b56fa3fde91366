// The links with the data (loaded the first time one is asked for): "Copy link with data" (the
// data and settings in the link's fragment, #data=, encoded by share.js) and the embed code (a
// frame of the embed view, ?embed=1&charts=…). From the single file (file://) both say that such a
// link opens only on this computer. Imports dom.js and share.js, which keep no state.
import { $, setStatus } from './dom.js';
import { encodeState, URL_WARN_BYTES } from './share.js';

// A link to the page opened from a file (the single file) opens only on this computer.
const local = () => (location.protocol === 'file:' ? ' This page was opened from a file on this computer: the link opens only here (and where the same file is at the same place); to share, send the data file or use the page on a web server.' : '');

/** A link to the page with `fullState()` in it; `charts`: the embed view's charts (its &charts=). */
async function shareLink(fullState, { charts = null } = {}) {
  const encoded = await encodeState(fullState());
  const url = new URL(location.href);
  url.search = charts ? `?embed=1&charts=${charts}` : '';
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

/** "Copy link with data": the data and settings in a link, put in the address bar and copied. */
export async function share(fullState) {
  const { url, bytes } = await shareLink(fullState);
  history.replaceState(null, '', url);
  const note = $('share-note');
  const copied = await copyText(url);
  note.textContent = `${copied ? 'Link copied' : 'Link is in the address bar'} (${(bytes / 1024).toFixed(1)} KB).${bytes > URL_WARN_BYTES ? ' Warning: links over about 32 KB may be cut off by mail programs and some browsers; export a file instead.' : ''} The data is inside the link: share it only as you would share the data.${local()}`;
  note.hidden = false;
}

/** The embed code: a frame of 800 × 600 pixels with the summary and the charts chosen. */
export async function embed(fullState) {
  const { url, bytes } = await shareLink(fullState, { charts: $('embed-charts').value });
  const code = `<iframe src="${url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" title="ALS progression results" width="800" height="600" style="border:0"></iframe>`;
  const box = $('embed-code');
  box.value = code;
  box.hidden = false;
  const copied = await copyText(code);
  box.select();
  setStatus(`${copied ? 'Embed code copied' : 'Embed code selected: copy it with Ctrl+C'}${bytes > URL_WARN_BYTES ? ' (warning: the embedded data makes a very long link)' : ''}.${local()}`);
}
