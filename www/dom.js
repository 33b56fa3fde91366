// Small DOM helpers for the page's modules: finding and making elements, the status line, the
// banner, downloads. User text reaches the DOM only as text (textContent, text nodes), never as
// markup.

export const $ = (id) => document.getElementById(id);

/** An element: `attrs` `class`, `text` (its text), `onX` (a listener), else attributes. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export function setStatus(text) {
  $('status').textContent = text;
}

/** The banner with `text`, and a button when `action` ({ label, onclick }) is given. */
export function showBanner(text, kind = 'error', action = null) {
  const b = $('banner');
  const act = action ? el('button', { type: 'button', onclick: action.onclick }, action.label) : null;
  // (replaceChildren writes null as the text "null": no action, no text)
  b.replaceChildren(el('span', { text }), act || '', el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => (b.hidden = true) }, '×'));
  b.className = `banner ${kind}`;
  b.hidden = false;
}

export function hideBanner() {
  $('banner').hidden = true;
}

export function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
