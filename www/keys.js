// The keyboard on a focused chart (loaded at the first key; www/charts.js hands the key on): the
// arrow keys, Home and End move a marker between the chart's patients from left to right and say
// which in the live region; Enter or Space selects the patient under it. Imports only dom.js.
import { $ } from './dom.js';

/**
 * `key` on chart `name`'s `canvas`, whose hit targets are `hits` ([{ id, x, y }], CSS pixels);
 * `cursor[name]`: the patient the marker is on (kept by charts.js), else the `selected` one;
 * `onSelect(id)`: select a patient.
 */
export function onKey(key, { canvas, hits, cursor, name, selected, onSelect }) {
  const list = hits.sort((a, b) => a.x - b.x || a.y - b.y);
  const ids = [...new Set(list.map((h) => h.id))];
  if (!ids.length) return;
  const select = key === 'Enter' || key === ' ';
  let i = ids.indexOf(cursor[name] ?? selected);
  if (select) i = Math.max(0, i);
  else i = key === 'Home' ? 0 : key === 'End' ? ids.length - 1 : Math.min(ids.length - 1, Math.max(0, i + (/Right|Down/.test(key) ? 1 : -1)));
  cursor[name] = ids[i];
  if (select) onSelect(ids[i]);
  const at = list.find((h) => h.id === ids[i]);
  const mark = $('chart-mark');
  canvas.after(mark);
  mark.style.left = `${at.x}px`;
  mark.style.top = `${at.y}px`;
  mark.hidden = false;
  $('chart-live').textContent = `${ids[i]} (${i + 1} of ${ids.length})${select ? ': selected' : ''}`;
}
