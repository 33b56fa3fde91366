// The engine's words and number formats, read once when it has loaded (`vocabulary`,
// `format_number(s)`, `format_p` in src/web.rs): measure labels, units, best scores, which way a
// scale goes, the roles a column can take. The page copies none of them.

let core = null;
let roles = [];
let measures = new Map();

/** After the engine has loaded: `engineCore` is its main-thread module (Engine.core). */
export function loadVocabulary(engineCore) {
  core = engineCore;
  const v = JSON.parse(core.vocabulary());
  roles = v.roles;
  measures = new Map(v.measures.map((m) => [m.name, m]));
}

/** { name, label, unit, best, higher_is_worse } of a measure (by its name in the results). */
export function measure(name) {
  return measures.get(name) ?? { name, label: name ?? '', unit: '', best: null, higher_is_worse: false };
}

/** The roles a column can be given: [{ value (what an override sends), role (as the results name it) }]. */
export function columnRoles() {
  return roles;
}

/** `x` with `digits` decimals; "–" when missing. */
export function num(x, digits = 2) {
  return core.format_number(typeof x === 'number' ? x : null, digits);
}

/** num() of each value, in one call to the engine (a table's column). */
export function nums(values, digits = 2) {
  if (!values.length) return [];
  return core.format_numbers(Float64Array.from(values, (x) => (typeof x === 'number' ? x : NaN)), digits).split('\n');
}

/** A p-value; "–" when missing. */
export function pValue(p) {
  return core.format_p(typeof p === 'number' ? p : null);
}

/** "p < 0.001" or "p = 0.012": the engine's `format_p_text` when it has it, else its `format_p`
 * (which writes a bound as "< 0.001") after "p" or "p =". */
export function pText(p) {
  if (core.format_p_text) return core.format_p_text(typeof p === 'number' ? p : null);
  const v = pValue(p);
  return v[0] === '<' ? `p ${v}` : `p = ${v}`;
}

/** The unit of a measure's rates: "points per month", "% predicted per month". */
export function rateUnit(name) {
  const m = measure(name);
  return m.rate_unit ?? `${m.unit} per month`;
}

/** A period in words: the engine's name when the result has one (`Period.name`), else
 * "before treatment" / "after <its event>". */
export function periodName(q) {
  return q.name ?? (q.index ? `after ${q.event ?? `event ${q.index}`}` : 'before treatment');
}
