// Data in the URL fragment (#data=, deflate-raw + base64url) and the session store.
// Never localStorage: pasted patient data lives only as long as the tab.

export const URL_WARN_BYTES = 32 * 1024;
// Link data is refused before it is decoded when its fragment is longer than a browser keeps in
// an address (Chromium: 2 MB), and while it is inflated once it grows past the most text the page
// analyses (16 MB, input.js) and its settings: a 136 KB link can carry 100 MB of text.
export const MAX_LINK_CHARS = 2 * 1024 * 1024;
export const MAX_LINK_JSON_BYTES = 16 * 1024 * 1024 + 64 * 1024;
const STORE_KEY = 'als-progression:v1';

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const s = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** { text, settings } → base64url of deflate-raw JSON. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** `bytes` inflated, at most `max` bytes of it: an error as soon as there is more. */
async function inflateAtMost(bytes, max) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel().catch(() => {});
      throw new Error(`it unpacks to more than ${Math.round(max / 1024 / 1024)} MB, more than the page analyses`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function decodeState(encoded) {
  if (encoded.length > MAX_LINK_CHARS) throw new Error(`the link's data is ${(encoded.length / 1024 / 1024).toFixed(1)} MB long; links carry at most ${MAX_LINK_CHARS / 1024 / 1024} MB`);
  const bytes = await inflateAtMost(fromBase64Url(encoded), MAX_LINK_JSON_BYTES);
  const state = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof state?.text !== 'string') throw new Error('no data in the link');
  return state;
}

/** Parse the fragment: #example=NAME, #data=ENCODED (both may carry &-separated extras). */
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { example: params.get('example'), data: params.get('data') };
}

/** The address without a fragment (its data or example no longer describe the page's data). */
export function clearHash() {
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
}

export function saveSession(state) {
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    return true;
  } catch {
    return false; // quota or storage disabled: the page still works
  }
}

export function loadSession() {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function clearSession() {
  try {
    sessionStorage.removeItem(STORE_KEY);
  } catch {
    /* nothing stored */
  }
}
