// The charts (six; the stage timeline when the data has ALSFRS-R items, the two survival charts when it has endpoints),
// drawn by the extras module (its chart handle, www/result.js; loaded after the first paint, its
// code is not in the start module): when they are drawn (in tasks of ~50 ms or one chart, so that the page keeps
// answering; a newer request abandons an older one), their sizes, hit targets (a click selects
// the patient under it, the pointer shows its id, the arrow keys move between them and Enter
// selects) and drawing at another size (the exports and the report, www/exporter.js and
// www/report.js). body[data-charts] (through state.js): pending, or drawn once the charts of the
// result shown are all drawn and no newer analysis is on its way.
import { $, el, showBanner } from './dom.js';
import { state, setCharts } from './state.js';

export const CHARTS = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval', 'swimmer', 'survival', 'cafs'];
// The survival charts (#22): shown only when the result has their data (the extras module's
// survival pass adds it after the first paint), never as empty frames.
const SURVIVAL = { survival: 'survival', cafs: 'cafs' };

/** Whether chart `name` has something to show for analysis `a` (no empty frames): the stage
 * timeline (#23) only when the data has ALSFRS-R items, the survival charts with their data. */
export function hasChart(name, a) {
  if (name === 'swimmer') return (a?.stages?.length ?? 0) > 0;
  const key = SURVIVAL[name];
  return !key || (a?.[key]?.length ?? 0) > 0;
}

const NO_HITS = { ids: [], which: new Uint32Array(0), xy: new Float64Array(0) };

/** A drawn chart's description and hit targets (see `Drawn` in src/web.rs), the handle freed. */
function readDrawn(d) {
  try {
    const description = d.description();
    const all = d.ids();
    const lengths = d.id_lengths();
    const ids = new Array(lengths.length);
    for (let i = 0, at = 0; i < lengths.length; at += lengths[i], i++) ids[i] = all.slice(at, at + lengths[i]);
    return { description, hits: { ids, which: d.which(), xy: d.xy() } };
  } finally {
    d.free();
  }
}

/** Width of an element's content box, as a ResizeObserver reports it (rounded). */
function contentWidth(e) {
  const cs = getComputedStyle(e);
  const px = (v) => parseFloat(v) || 0;
  return Math.round(e.getBoundingClientRect().width - px(cs.paddingLeft) - px(cs.paddingRight) - px(cs.borderLeftWidth) - px(cs.borderRightWidth));
}

/**
 * CSS width and height of a chart's canvas (reads layout). `fit`: no taller than what is left of
 * the window below it, less a line for the link under it (the embed view: its charts fit the frame).
 */
function chartSize(name, fit) {
  const c = $(`chart-${name}`);
  const w = Math.max(200, Math.round(c.clientWidth || 480));
  const h = Math.round(w * 0.62);
  return { w, h: fit ? Math.max(160, Math.min(h, Math.round(innerHeight - c.getBoundingClientRect().top - 40))) : h };
}

/**
 * `engine`: the Engine (its main-thread calls); `result`: the result holder (its chart handle and
 * exports); `view()`: { measure, error_bars } shown; `onSelect(id)`: a point was clicked;
 * `onDrawn()`: all the charts shown are drawn; `only`: the names of the charts shown (the embed
 * view's choice; default all six), `fit`: see chartSize.
 */
export function createCharts({ engine, result, view, onSelect, onDrawn, only = CHARTS, fit = false }) {
  const hits = {}; // chart name → its hit targets
  const cursor = {}; // chart name → the patient id the arrow keys are on (www/keys.js)
  let keys = null; // www/keys.js, once a key was pressed on a chart
  let drawTimer = 0;
  let drawGeneration = 0;
  let drawnWidth = -1; // width of the charts' grid when their sizes were last taken

  /** Whether chart `name` has something to show (the survival charts: their data). */
  function shown(name) {
    return hasChart(name, result.analysis());
  }

  function options(name, w, h, dpr, more) {
    const { measure, error_bars } = view();
    return JSON.stringify({ measure, selected: state.selected, width: w, height: h, dpr, error_bars, show_models: true, ...more });
  }

  /** The charts' sizes, the width of their grid and its top in the viewport (reads layout). */
  function layout() {
    return { sizes: new Map(only.map((name) => [name, chartSize(name, fit)])), width: contentWidth($('charts')), top: $('charts').getBoundingClientRect().top };
  }

  /**
   * Draw chart `name` on `canvas` at `w` × `h` CSS pixels and `dpr` device pixels each (`more`:
   * further chart options); its { description, hits }. Throws EngineError.
   */
  function drawTo(canvas, name, w, h, dpr, more) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const data = result.handle();
    if (!data) throw new Error('the chart engine is not loaded yet');
    return readDrawn(engine.callExtras(() => data.draw(canvas, name, options(name, w, h, dpr, more))));
  }

  function drawChart(name, size = chartSize(name, fit)) {
    const canvas = $(`chart-${name}`);
    const { w, h } = size;
    canvas.style.height = `${h}px`;
    const t0 = performance.now();
    try {
      const out = drawTo(canvas, name, w, h, window.devicePixelRatio || 1);
      hits[name] = out.hits;
      if (out.description) $(`cap-${name}`).textContent = out.description;
      canvas.dataset.drawn = '1';
      performance.measure(`als:chart:${name}`, { start: t0 });
    } catch (err) {
      hits[name] = NO_HITS;
      $(`cap-${name}`).textContent = `Chart not available: ${err.message}`;
      if (err.kind === 'panic') showBanner(`The chart engine hit an internal error and was restarted. Details: ${err.message}`);
    }
  }

  /**
   * Draw the charts (soon, in tasks of their own). `now`: all in this task (a small result, just
   * put on the page: ~100 ms): a pause would cost a layout and paint of the half-drawn page
   * (~60 ms) before the other charts; `sizes`: the layout() taken before the page changed.
   */
  function draw(now = false, sizes = null) {
    setCharts('pending');
    if (now) {
      clearTimeout(drawTimer);
      drawTimer = 0;
      drawAll(false, sizes);
    } else if (!drawTimer) drawTimer = setTimeout(drawAll, 0);
  }

  /** draw() once the page has been painted (the next frame, then a task of its own). */
  function drawAfterPaint() {
    setCharts('pending');
    clearTimeout(drawTimer);
    drawTimer = -1; // a draw() before then waits for this one
    requestAnimationFrame(() => setTimeout(() => {
      if (drawTimer === -1) drawAll(true);
    }, 0));
  }

  async function drawAll(sliced = true, sizes = null) {
    drawTimer = 0;
    const generation = ++drawGeneration;
    if (!result.analysis()) return;
    // The charts' engine (the extras module): loaded the first time, after the first paint.
    if (!engine.extrasNow()) {
      try {
        await result.ready();
      } catch {
        // drawChart reports it per chart
      }
      if (generation !== drawGeneration || !result.analysis()) return;
    }
    // Reading the analysis into the engine is a task of its own when it is long.
    const t0 = performance.now();
    try {
      result.handle();
    } catch {
      // drawChart reports it per chart
    }
    if (performance.now() - t0 > 50) await new Promise((r) => setTimeout(r, 0));
    if (generation !== drawGeneration) return;
    // Sizes first (one layout), then the charts, as many per task as fit in ~50 ms: small data
    // draws in one go, large data one chart per task so that the page keeps answering.
    // The stage timeline's figure only for data with items (shown before the sizes are read).
    const a = result.analysis();
    for (const name of only) document.querySelector(`figure[data-chart="${name}"]`).hidden = !hasChart(name, a);
    const { sizes: bySize, width } = sizes ?? layout();
    drawnWidth = width;
    let slice = performance.now();
    for (const name of only.filter((n) => hasChart(n, a))) {
      if (generation !== drawGeneration) return;
      const figure = $(`chart-${name}`).parentElement;
      figure.hidden = !shown(name);
      if (figure.hidden) continue;
      drawChart(name, bySize.get(name) ?? chartSize(name, fit));
      if (sliced && performance.now() - slice > 50) {
        await new Promise((r) => setTimeout(r, 0));
        slice = performance.now();
      }
    }
    if (generation !== drawGeneration) return;
    // The charts of a result that newer data or settings are replacing are not 'drawn': the new
    // result's are (a drawing begun before the change, e.g. for a selection, ends here). Nor
    // before the second pass is in (its charts: the survival charts and the stage timeline).
    if (state.phase === 'pending' || state.phase === 'busy' || result.secondPending()) return;
    setCharts('drawn');
    onDrawn();
  }

  /** The id of the hit nearest to a pointer event (within 24 CSS pixels), or undefined. */
  function idAt(name, event) {
    const r = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - r.left;
    const y = event.clientY - r.top;
    const { ids, which, xy } = hits[name] ?? NO_HITS;
    let best = -1;
    let bestD = 24 * 24;
    for (let i = 0; i < which.length; i++) {
      const d = (xy[2 * i] - x) ** 2 + (xy[2 * i + 1] - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best >= 0 ? ids[which[best]] : undefined;
  }

  /** A chart's hit targets: [{ id, x, y }] in CSS pixels (a test hook). */
  function hitList(name) {
    const { ids, which, xy } = hits[name] ?? NO_HITS;
    return Array.from(which, (k, i) => ({ id: ids[k], x: xy[2 * i], y: xy[2 * i + 1] }));
  }

  /** No result: blank canvases, no captions, hits or marker. */
  function clear() {
    drawGeneration++;
    for (const name of CHARTS) {
      if (!hasChart(name, null)) $(`chart-${name}`).parentElement.hidden = true;
      $(`chart-${name}`).width = 0;
      $(`cap-${name}`).textContent = '';
      hits[name] = NO_HITS;
      cursor[name] = null;
    }
    $('chart-mark').hidden = true;
    document.querySelector('figure[data-chart="swimmer"]').hidden = true;
  }

  /** The figures: a canvas named by its caption (the chart's text alternative), and its exports. */
  function wire() {
    const button = (kind, name) => el('button', { type: 'button', class: 'needs-result', [`data-${kind}`]: name }, kind.toUpperCase());
    $('chart-grid').append(
      ...CHARTS.map((name) =>
        el(
          'figure',
          { 'data-chart': name, hidden: !only.includes(name) || !hasChart(name, null) },
          el('canvas', { id: `chart-${name}`, role: 'img', 'aria-labelledby': `cap-${name}`, 'aria-describedby': 'chart-keys', tabindex: 0 }),
          el('figcaption', { id: `cap-${name}` }),
          el('div', { class: 'chart-actions' }, button('png', name), ' ', button('svg', name)),
        ),
      ),
      el('span', { id: 'chart-mark', class: 'chart-mark', hidden: true }),
      el('p', { id: 'chart-live', class: 'vh', 'aria-live': 'polite' }),
    );
    for (const name of CHARTS) {
      const c = $(`chart-${name}`);
      c.addEventListener('click', (e) => {
        const id = idAt(name, e);
        if (id !== undefined) onSelect(id);
      });
      // the id under the pointer, as the canvas's tooltip
      c.addEventListener('mousemove', (e) => (c.title = idAt(name, e) ?? ''));
      // the keyboard (www/keys.js, loaded at the first key): the page does not scroll for these
      c.addEventListener('keydown', (e) => {
        if (!/^(Arrow\w+|Home|End|Enter| )$/.test(e.key)) return;
        e.preventDefault();
        keys ??= import('./keys.js');
        keys.then((m) => m.onKey(e.key, { canvas: c, hits: hitList(name), cursor, name, selected: state.selected, onSelect }));
      });
      c.addEventListener('blur', () => ($('chart-mark').hidden = true));
    }
    // Redraw when the charts' width changes; not for the first observation, nor when the charts
    // already have this width (a draw under way takes the sizes itself).
    new ResizeObserver((entries) => {
      const w = Math.round(entries[0].contentRect.width);
      if (result.analysis() && drawnWidth >= 0 && w !== drawnWidth) draw();
    }).observe($('charts'));
    matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener?.('change', () => draw());
  }

  return {
    /** The charts of the result shown (the exports and the report draw these). */
    get names() {
      return CHARTS.filter((name) => only.includes(name) && hasChart(name, result.analysis()));
    },
    options,
    draw,
    drawAfterPaint,
    layout,
    hitList,
    drawTo,
    clear,
    wire,
  };
}
