// The exports, loaded the first time one is asked for (main.js gives it the page's parts): a
// chart as PNG at the size chosen in the page's "Export size" (as on screen but at least 1600
// pixels wide; a journal column width at a resolution; a slide), with the resolution stored in
// the file (its pHYs chunk); a chart as SVG at a size of its own (never the window's); all the
// charts in one ZIP (each as PNG and SVG, and their captions, and the stages of every visit when
// the data has ALSFRS-R items); the results as CSV, every measure of the data (the engine
// analyses them again: www/engine.js exportTables), the group summaries and tests as a second
// CSV, the stages of every visit as a third (the engine's, as the CLI's --format stages-csv);
// the template of the data the page reads.
// It imports only dom.js (no state): the build bundles it on its own (scripts/build.mjs).
import { $, download, setStatus } from './dom.js';

const CSS_DPI = 96; // a CSS pixel is 1/96 inch: a chart's text of 12 CSS px prints at 9 pt
const MM_PER_INCH = 25.4;
const ASPECT = 0.62; // height / width, as on the page

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, Number.isFinite(x) ? x : lo));

/**
 * The size chosen in the page: `w` × `h` CSS pixels, the chart laid out at that size, drawn
 * at `dpr` device pixels per CSS pixel (a PNG of `w·dpr` pixels, stored with `dpi`); `mm`: its
 * printed width (the SVG's), when the choice is one. `screenWidth`: the chart's width on the page.
 */
export function exportSize(screenWidth) {
  const preset = $('export-size').value;
  if (preset === 'slide') return { w: 960, h: 540, dpr: 2, dpi: 2 * CSS_DPI };
  if (preset === 'screen') {
    const w = Math.round(clamp(screenWidth, 320, 1280));
    const dpr = Math.max(window.devicePixelRatio || 1, 1600 / w);
    return { w, h: Math.round(w * ASPECT), dpr, dpi: dpr * CSS_DPI };
  }
  const mm = preset === 'custom' ? clamp(Number($('export-mm').value), 20, 500) : Number(preset);
  const dpi = clamp(Number($('export-dpi').value), 72, 1200);
  const w = Math.round((mm / MM_PER_INCH) * CSS_DPI);
  // whole pixels for the width asked: 85 mm at 300 dpi is 1004 pixels
  return { w, h: Math.round(w * ASPECT), dpr: Math.round((mm / MM_PER_INCH) * dpi) / w, dpi, mm };
}

/** The chart options that say the printed size (the chart engine lays out its text for it). */
function printed(size) {
  const mm = size.mm ?? (size.w / CSS_DPI) * MM_PER_INCH;
  return { width_mm: mm, height_mm: (mm * size.h) / size.w };
}

// CRC-32 (ISO 3309, as PNG and ZIP use it).
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * `png` (the bytes of a PNG) with a pHYs chunk saying `dpi` (in pixels per metre, as PNG
 * stores it), right after IHDR, in place of one the encoder may have written.
 */
export function withDpi(png, dpi) {
  const ppm = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const v = new DataView(chunk.buffer);
  v.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  v.setUint32(8, ppm);
  v.setUint32(12, ppm);
  chunk[16] = 1; // unit: metre
  v.setUint32(17, crc32(chunk.subarray(4, 17)));
  // the chunks after the signature (8 bytes) and IHDR (25 bytes), less any pHYs
  const parts = [png.subarray(0, 33), chunk];
  const d = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 33; at < png.length; ) {
    const end = at + 12 + d.getUint32(at);
    if (d.getUint32(at + 4) !== 0x70485973) parts.push(png.subarray(at, end));
    at = end;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** A chart as PNG bytes at `size`, drawn by the engine on a canvas of its own. */
async function pngBytes({ charts }, name, size) {
  const canvas = document.createElement('canvas');
  charts.drawTo(canvas, name, size.w, size.h, size.dpr, printed(size));
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  canvas.width = 0;
  if (!blob) throw new Error('The browser could not make the PNG (too many pixels?): choose a smaller size.');
  return withDpi(new Uint8Array(await blob.arrayBuffer()), size.dpi);
}

/** The SVG's size: its own, never the window's (as on screen: 640 CSS px, i.e. 169 mm). */
function svgSize() {
  const s = exportSize(640);
  return $('export-size').value === 'screen' ? { ...s, w: 640, h: Math.round(640 * ASPECT) } : s;
}

/** An SVG document of the engine with its printed size in millimetres (the drawing's units stay its viewBox). */
function sized(svg, size) {
  const { width_mm: w, height_mm: h } = printed(size);
  return svg.replace(/^(<svg[^>]*?)\swidth="[^"]*"\s+height="[^"]*"/, `$1 width="${w.toFixed(1)}mm" height="${h.toFixed(1)}mm"`);
}

/** Every chart shown as SVG text, by the extras module's handle (made once for all). */
function svgs({ result, charts }, names, size) {
  return result.withExports((data) => names.map((name) => sized(data.svg(name, charts.options(name, size.w, size.h, 1, printed(size))), size)));
}

export async function exportPng(parts, name) {
  const size = exportSize($(`chart-${name}`).clientWidth);
  download(`${name}.png`, new Blob([await pngBytes(parts, name, size)], { type: 'image/png' }));
}

export async function exportSvg(parts, name) {
  const [svg] = await svgs(parts, [name], svgSize());
  download(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
}

/**
 * A ZIP of `files` ([{ name, bytes }]), stored (PNG and SVG are compressed already, or small):
 * local headers, the files, the central directory (APPNOTE.TXT 6.3, no data descriptors).
 */
export function zip(files, date = new Date()) {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  const enc = new TextEncoder();
  const locals = [];
  const central = [];
  let offset = 0;
  for (const f of files) {
    const name = enc.encode(f.name);
    const head = (sig, extra) => {
      const b = new Uint8Array(extra + name.length);
      const v = new DataView(b.buffer);
      v.setUint32(0, sig, true);
      const at = extra === 46 ? 6 : 4; // the central header has "version made by" first
      if (extra === 46) v.setUint16(4, 20, true);
      v.setUint16(at, 20, true); // version needed: 2.0
      v.setUint16(at + 2, 0x0800, true); // names in UTF-8
      v.setUint16(at + 4, 0, true); // stored
      v.setUint16(at + 6, time, true);
      v.setUint16(at + 8, day, true);
      v.setUint32(at + 10, crc32(f.bytes), true);
      v.setUint32(at + 14, f.bytes.length, true);
      v.setUint32(at + 18, f.bytes.length, true);
      v.setUint16(at + 22, name.length, true);
      if (extra === 46) v.setUint32(42, offset, true);
      b.set(name, extra);
      return b;
    };
    const local = head(0x04034b50, 30);
    locals.push(local, f.bytes);
    central.push(head(0x02014b50, 46));
    offset += local.length + f.bytes.length;
  }
  const size = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, files.length, true);
  v.setUint16(10, files.length, true);
  v.setUint32(12, size, true);
  v.setUint32(16, offset, true);
  return new Blob([...locals, ...central, end], { type: 'application/zip' });
}

/**
 * All the charts, each as PNG and SVG at the size chosen, with their captions, in one ZIP; with
 * the stages of every visit (stages.csv, the engine's) when the result has stages.
 */
export async function exportZip(parts) {
  setStatus('Making the charts…');
  const CHARTS = parts.charts.names;
  const size = exportSize($('chart-trajectories').clientWidth);
  const svg = await svgs(parts, CHARTS, svgSize());
  const enc = new TextEncoder();
  const files = [];
  for (const [i, name] of CHARTS.entries()) {
    files.push({ name: `${name}.png`, bytes: await pngBytes(parts, name, size) });
    files.push({ name: `${name}.svg`, bytes: enc.encode(svg[i]) });
  }
  const captions = CHARTS.map((name) => `${name}: ${$(`cap-${name}`).textContent}`).join('\n\n');
  files.push({ name: 'captions.txt', bytes: enc.encode(`${captions}\n`) });
  const stages = (parts.result.analysis()?.stages?.length ?? 0) > 0;
  if (stages) files.push({ name: 'stages.csv', bytes: enc.encode((await parts.engine.exportTables(parts.result.data())).stages) });
  download('als-progression-charts.zip', zip(files));
  setStatus(`Charts saved: ${CHARTS.length} PNG of ${Math.round(size.w * size.dpr)} × ${Math.round(size.h * size.dpr)} pixels at ${Math.round(size.dpi)} dpi, and SVG${stages ? ', with the stages of every visit (stages.csv)' : ''}.`);
}

/** The results as JSON: the same as the CLI's (with --include-series), with the model fits of the second pass. */
export async function exportJson({ result }) {
  download('als-progression-results.json', new Blob([await result.withExports((data) => data.json())], { type: 'application/json' }));
}

/**
 * The results as CSV, every measure of the data: `which` 'patients' (a row per patient and
 * measure), 'summaries' (group summaries and tests) or 'stages' (a row per visit with items).
 */
export async function exportCsv({ engine, result }, which) {
  setStatus('Making the CSV…');
  const tables = await engine.exportTables(result.data());
  const name = { patients: 'als-progression-results.csv', summaries: 'als-progression-summaries-and-tests.csv', stages: 'als-progression-stages.csv' }[which];
  download(name, new Blob([tables[which]], { type: 'text/csv' }));
  setStatus(`${name} saved.`);
}

/**
 * "Download a template": the engine's lead-in example (synth), its header and its first two
 * patients' rows under a comment, so that its columns are ones the parser knows (the first
 * visit's panel lists them).
 */
export async function exportTemplate() {
  const { TEXTS } = await import('./pkg/examples.js');
  const [, header, ...rows] = TEXTS['lead-in'].split('\n');
  const ids = [...new Set(rows.map((r) => r.split(',')[0]))].slice(0, 2);
  const lines = ['# Template for als-progression: one row per visit; replace these synthetic rows with your data. event: the treatment given that day; onset: the date of the first symptoms.', header, ...rows.filter((r) => ids.includes(r.split(',')[0])), ''];
  download('als-progression-template.csv', new Blob([lines.join('\n')], { type: 'text/csv' }));
}
