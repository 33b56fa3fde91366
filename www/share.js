// Data in the URL fragment (#data=, deflate-raw + base64url) and the session store.
// Never localStorage: pasted patient data lives only as long as the tab.

export const URL_WARN_BYTES = 32 * 1024;
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

async function pipe(bytes, ...streams) {
  let s = new Blob([bytes]).stream();
  for (const t of streams) s = s.pipeThrough(t);
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/** { text, settings } → base64url of deflate-raw JSON. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/**
 * Passes on what comes until it is more than `max` bytes, then ends (which stops what feeds it).
 * (Ends rather than throws: a Response reading the stream would turn the error into "Failed to
 * fetch".)
 */
function atMost(max) {
  let n = 0;
  return new TransformStream({
    transform(chunk, out) {
      out.enqueue(chunk);
      if ((n += chunk.length) > max) out.terminate();
    },
  });
}

// Link data is refused before it is decoded when it is longer than a browser keeps in an address
// (Chromium: 2 MB), and as soon as it inflates past the most text the page analyses (16 MB,
// input.js) and its settings (64 KB): a 136 KB link can carry 100 MB of text.
export async function decodeState(encoded) {
  if (encoded.length > 2 << 20) throw new Error('links carry at most 2 MB of data');
  const max = (16 << 20) + (64 << 10);
  const bytes = await pipe(fromBase64Url(encoded), new DecompressionStream('deflate-raw'), atMost(max));
  if (bytes.length > max) throw new Error('it unpacks to more than 16 MB');
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
