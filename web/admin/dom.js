// DOM helpers and number formats shared by the dashboard's pages. Text goes
// in through textContent only.
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function panel(title, ...children) {
  return el('section', { class: 'panel' }, title ? el('h2', {}, title) : null, ...children);
}

export function figure(label, value, attributes = {}) {
  return el('div', { class: 'figure', ...attributes },
    el('div', { class: 'label' }, label), el('div', { class: 'value' }, value));
}

// columns: [{label, num?}], rows: arrays of cells (text or nodes).
export function table(columns, rows, attributes = {}) {
  const head = el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : null }, c.label)));
  const body = rows.map((cells, r) => el('tr', { dataset: attributes.rowData ? attributes.rowData[r] : undefined },
    cells.map((cell, i) => el('td', { class: columns[i] && columns[i].num ? 'num' : null }, cell))));
  return el('table', { id: attributes.id }, el('thead', {}, head), el('tbody', {}, body));
}

export function errorBox(error, what) {
  return el('div', { class: 'alert', role: 'alert', dataset: { code: error.code || '' } },
    el('strong', {}, what ? `${what}: ${error.code || 'error'}` : (error.code || 'Error')),
    error.message);
}

export function tag(text, kind = '') {
  return el('span', { class: `tag ${kind}` }, text);
}

export const number = (value, digits = 0) =>
  Number(value || 0).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const percent = (value, digits = 1) => `${(100 * Number(value || 0)).toFixed(digits)}%`;
export const date = (text) => (text ? text.replace('T', ' ').replace(/(:\d\d)?(\.\d+)?Z$/, ' UTC') : '—');

export function duration(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function milliseconds(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  if (!Number.isFinite(seconds)) return '> 10 s';
  return seconds < 0.01 ? `${(seconds * 1000).toFixed(2)} ms` : `${(seconds * 1000).toFixed(1)} ms`;
}
