// #/segments?segment=EXPR: the RFM grid of a segment (recency by
// frequency quintile, customers per cell), the named RFM segments' figures
// and the saved segments. EXPR defaults to "all".
import { call } from './api.js';
import { el, panel, figure, table, errorBox, number, percent, date } from './dom.js';
import { heatmap } from './charts.js';

function segmentForm(segment) {
  const input = el('input', { name: 'segment', id: 'segment-expression', value: segment,
    autocomplete: 'off', placeholder: 'all, at_risk and region = tokyo, ...' });
  const form = el('form', { class: 'lookup', id: 'segment-form' },
    el('label', { for: 'segment-expression' }, 'Segment'), input, el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/segments?segment=${encodeURIComponent(input.value.trim() || 'all')}`;
  });
  return form;
}

export async function segmentsPage(params) {
  const segment = params.get('segment') || 'all';
  const heading = [el('h1', {}, 'Segments'), segmentForm(segment)];
  const [summary, saved] = await Promise.allSettled([
    call('/v1/segment-summary', { segment }), call('/v1/segments')]);
  if (summary.status === 'rejected') return [...heading, errorBox(summary.reason, 'No summary')];
  const s = summary.value;
  const cells = (s.cells || []).map((c) => ({
    row: c.recencyScore, column: c.frequencyScore,
    value: Number(c.figures.customers), label: c.segment,
  }));
  return [
    ...heading,
    panel(`“${s.segment}” as of ${date(s.asOf)}`,
      el('div', { class: 'figures' },
        figure('customers', number(s.customers), { id: 'segment-customers' }),
        figure('with purchases (scored)', number(s.scored)),
        figure('revenue', number(s.revenue)))),
    el('div', { class: 'grid' },
      panel('RFM grid: customers by recency (rows) and frequency (columns) quintile',
        el('div', { id: 'rfm-grid' }, heatmap(cells, { rowLabel: 'recency score', columnLabel: 'frequency score' }))),
      panel('RFM segments',
        table([{ label: 'segment' }, { label: 'rule' }, { label: 'customers', num: true },
          { label: 'revenue share', num: true }, { label: 'mean LTV', num: true }],
        (s.segments || []).map((g) => [g.segment, g.rule, number(g.figures.customers),
          percent(g.figures.revenueShare), g.figures.meanLifetimeValue === undefined ? '—' : number(g.figures.meanLifetimeValue)]),
        { id: 'rfm-segments' }))),
    saved.status === 'fulfilled'
      ? panel('Saved and built-in segments',
        table([{ label: 'name' }, { label: 'kind' }, { label: 'definition' }],
          (saved.value.segments || []).map((d) => [
            el('a', { href: `#/segments?segment=${encodeURIComponent(d.name)}` }, d.name), d.kind, d.definition])))
      : errorBox(saved.reason, 'Segments'),
  ];
}
