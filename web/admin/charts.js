// Small SVG charts for the dashboard, written out with the DOM (no library,
// nothing inline, so the page's Content-Security-Policy holds).
const SVG = 'http://www.w3.org/2000/svg';

function node(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (text !== undefined) element.textContent = text;
  return element;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function short(value) {
  if (value >= 1000) return `${+(value / 1000).toFixed(1)}k`;
  return `${+value.toFixed(value < 10 ? 2 : 0)}`;
}

// Lines over time. `series`: [{name, points: [[t, y], ...]}] with t in
// seconds; the x axis spans the earliest to the latest t.
export function lineChart(series, { width = 640, height = 200, unit = '', id } = {}) {
  const pad = { left: 44, right: 12, top: 10, bottom: 24 };
  const all = series.flatMap((s) => s.points);
  const svg = node('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img' });
  if (id) svg.id = id;
  const t0 = Math.min(...all.map((p) => p[0]));
  const t1 = Math.max(...all.map((p) => p[0]));
  const yMax = niceMax(Math.max(0, ...all.map((p) => p[1])));
  const x = (t) => pad.left + (t1 > t0 ? (t - t0) / (t1 - t0) : 1) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
  for (let i = 0; i <= 4; ++i) {
    const v = (yMax * i) / 4;
    svg.append(node('line', { class: 'grid-line', x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    svg.append(node('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, short(v) + unit));
  }
  svg.append(node('line', { class: 'axis', x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0) }));
  if (all.length) {
    svg.append(node('text', { x: pad.left, y: height - 6 }, `${Math.round(t1 - t0)} s ago`));
    svg.append(node('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end' }, 'now'));
  }
  series.forEach((s, index) => {
    if (!s.points.length) return;
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    const path = node('path', { class: `series-${index % 3}`, d });
    path.append(node('title', {}, s.name));
    svg.append(path);
  });
  svg.setAttribute('aria-label', series.map((s) => s.name).join(', '));
  return svg;
}

// Horizontal bars. `entries`: [{label, value, ok}].
export function barChart(entries, { width = 640, unit = '' } = {}) {
  const row = 24;
  const pad = { left: 170, right: 60 };
  const height = Math.max(row, entries.length * row) + 8;
  const svg = node('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const max = Math.max(0, ...entries.map((e) => e.value)) || 1;
  entries.forEach((entry, i) => {
    const top = 4 + i * row;
    const length = (entry.value / max) * (width - pad.left - pad.right);
    svg.append(node('text', { x: pad.left - 8, y: top + 15, 'text-anchor': 'end' }, entry.label));
    svg.append(node('rect', {
      class: entry.ok ? 'bar ok' : 'bar', x: pad.left, y: top + 3,
      width: Math.max(1, length), height: row - 8, rx: 2,
    }));
    svg.append(node('text', { x: pad.left + length + 6, y: top + 15 }, short(entry.value) + unit));
  });
  return svg;
}

// A legend for lineChart's series.
export function legend(names) {
  const box = document.createElement('div');
  box.className = 'legend';
  names.forEach((name, index) => {
    const item = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = `swatch series-${index % 3}`;
    item.append(swatch, name);
    box.append(item);
  });
  return box;
}

// A grid of cells shaded by value. `cells`: [{row, column, value, label}]
// with row and column from 1 to `size`; rows are drawn top (size) to bottom.
export function heatmap(cells, { size = 5, rowLabel = '', columnLabel = '' } = {}) {
  const cell = 64;
  const pad = { left: 40, top: 8, bottom: 36 };
  const width = pad.left + size * cell + 8;
  const height = pad.top + size * cell + pad.bottom;
  const svg = node('svg', { class: 'chart heatmap', viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const max = Math.max(1, ...cells.map((c) => c.value));
  for (const c of cells) {
    const x = pad.left + (c.column - 1) * cell;
    const y = pad.top + (size - c.row) * cell;
    const share = c.value / max;
    const rect = node('rect', { x, y, width: cell - 2, height: cell - 2, rx: 3,
      fill: `rgba(68, 98, 200, ${(0.08 + 0.92 * share).toFixed(3)})` });
    rect.append(node('title', {}, `${c.label}: ${c.value}`));
    svg.append(rect);
    svg.append(node('text', { x: x + cell / 2 - 1, y: y + cell / 2 + 4, 'text-anchor': 'middle',
      class: share > 0.55 ? 'on-dark' : '' }, short(c.value)));
  }
  for (let i = 1; i <= size; ++i) {
    svg.append(node('text', { x: pad.left - 8, y: pad.top + (size - i) * cell + cell / 2 + 4, 'text-anchor': 'end' }, String(i)));
    svg.append(node('text', { x: pad.left + (i - 1) * cell + cell / 2, y: pad.top + size * cell + 14, 'text-anchor': 'middle' }, String(i)));
  }
  svg.append(node('text', { x: pad.left + (size * cell) / 2, y: height - 4, 'text-anchor': 'middle' }, columnLabel));
  svg.append(node('text', { x: 10, y: pad.top + (size * cell) / 2, transform: `rotate(-90 10 ${pad.top + (size * cell) / 2})`, 'text-anchor': 'middle' }, rowLabel));
  return svg;
}

// Estimates with their intervals, one row each, around a zero line when the
// range spans it. `rows`: [{label, estimate, lower, upper, strong}].
export function intervalChart(rows, { width = 640, percent = true } = {}) {
  const row = 28;
  const pad = { left: 170, right: 70 };
  const height = rows.length * row + 24;
  const svg = node('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const values = rows.flatMap((r) => [r.lower, r.upper, r.estimate]).filter(Number.isFinite);
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi - lo < 1e-9) hi = lo + 1;
  const x = (v) => pad.left + ((v - lo) / (hi - lo)) * (width - pad.left - pad.right);
  const fmt = (v) => (percent ? `${(100 * v).toFixed(1)}%` : short(v));
  if (lo < 0 && hi > 0) {
    svg.append(node('line', { class: 'axis', x1: x(0), x2: x(0), y1: 4, y2: height - 20 }));
  }
  rows.forEach((r, i) => {
    const y = 4 + i * row + row / 2;
    svg.append(node('text', { x: pad.left - 8, y: y + 4, 'text-anchor': 'end' }, r.label));
    if (Number.isFinite(r.lower) && Number.isFinite(r.upper)) {
      svg.append(node('line', { class: r.strong ? 'series-2' : 'series-0', x1: x(r.lower), x2: x(r.upper), y1: y, y2: y }));
    }
    svg.append(node('circle', { cx: x(r.estimate), cy: y, r: 4, class: r.strong ? 'dot strong' : 'dot' }));
    svg.append(node('text', { x: width - pad.right + 6, y: y + 4 }, fmt(r.estimate)));
  });
  svg.append(node('text', { x: pad.left, y: height - 4 }, fmt(lo)));
  svg.append(node('text', { x: width - pad.right, y: height - 4, 'text-anchor': 'end' }, fmt(hi)));
  return svg;
}
