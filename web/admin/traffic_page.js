// #/traffic: requests per second, latency p50/p99 and errors by status code
// per method and transport (gRPC, HTTP), and events ingested, from the
// server's counters (/v1/status) polled every few seconds; rates are
// differences between polls. #/traffic?every=N polls every N seconds.
import { call } from './api.js';
import { el, panel, figure, table, errorBox, number, milliseconds, duration } from './dom.js';
import { lineChart, barChart, legend } from './charts.js';

const HISTORY = 90;

// Latency quantile q from cumulative bucket counts (upper bounds `bounds`,
// `total` calls, the rest above the last bound), interpolated in the bucket.
export function quantile(bounds, buckets, total, q) {
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < bounds.length; ++i) {
    if (buckets[i] >= rank) {
      const lower = i ? bounds[i - 1] : 0;
      const inBucket = buckets[i] - below;
      return lower + (inBucket > 0 ? (rank - below) / inBucket : 1) * (bounds[i] - lower);
    }
    below = buckets[i];
  }
  return Infinity;
}

function keyOf(m) { return `${m.transport} ${m.service}/${m.method}`; }

// Per method: calls, calls by code and summed latency buckets, between two
// status snapshots (`before` may be null: since the server started).
function delta(before, after) {
  const old = new Map();
  for (const m of (before && before.methods) || []) old.set(`${keyOf(m)} ${m.code}`, m);
  const methods = new Map();
  for (const m of after.methods || []) {
    const prior = old.get(`${keyOf(m)} ${m.code}`);
    const count = Number(m.count) - (prior ? Number(prior.count) : 0);
    const entry = methods.get(keyOf(m)) || {
      transport: m.transport, name: `${m.service.split('.').pop()}/${m.method}`,
      calls: 0, codes: {}, buckets: m.latencyBuckets.map(() => 0),
    };
    entry.calls += count;
    if (count) entry.codes[m.code] = (entry.codes[m.code] || 0) + count;
    m.latencyBuckets.forEach((b, i) => {
      entry.buckets[i] += Number(b) - (prior ? Number(prior.latencyBuckets[i]) : 0);
    });
    methods.set(keyOf(m), entry);
  }
  return [...methods.values()];
}

function seconds(before, after) {
  const start = Date.parse(before ? before.now : after.startedAt);
  return Math.max(0.001, (Date.parse(after.now) - start) / 1000);
}

export function trafficPage(params, page) {
  const every = Math.max(1, Number(params.get('every') || 2));
  const snapshots = [];
  const series = { grpc: [], http: [] };
  const root = el('div', { id: 'traffic' }, el('p', { class: 'muted' }, 'Reading the counters…'));
  let stopped = false;

  function render() {
    const after = snapshots[snapshots.length - 1];
    const before = snapshots.length > 1 ? snapshots[snapshots.length - 2] : null;
    const span = seconds(before, after);
    const methods = delta(before, after).filter((m) => m.calls > 0 || !before)
      .sort((a, b) => b.calls - a.calls);
    const bounds = after.latencyBucketBoundsSeconds;
    const totals = { grpc: 0, http: 0 };
    const errors = {};
    for (const m of methods) {
      totals[m.transport] = (totals[m.transport] || 0) + m.calls;
      for (const [code, n] of Object.entries(m.codes)) {
        if (code !== 'OK') errors[code] = (errors[code] || 0) + n;
      }
    }
    const t = (Date.parse(after.now) - Date.parse(after.startedAt)) / 1000;
    for (const transport of ['grpc', 'http']) {
      if (before) series[transport].push([t, totals[transport] / span]);
      if (series[transport].length > HISTORY) series[transport].shift();
    }
    const metric = (name) => (after.metrics || {})[name];
    const events = metric('recommender_events_appended_total');
    const eventsBefore = before ? (before.metrics || {}).recommender_events_appended_total : 0;
    const window = before ? `over the last ${number(span, 1)} s` : `since the server started ${duration(span)} ago`;
    root.replaceChildren(
      panel('Now',
        el('div', { class: 'figures' },
          figure('requests/s (gRPC)', number(totals.grpc / span, 1), { id: 'rps-grpc' }),
          figure('requests/s (HTTP)', number(totals.http / span, 1), { id: 'rps-http' }),
          figure('errors/s', number(Object.values(errors).reduce((a, b) => a + b, 0) / span, 2)),
          figure('events ingested', events === undefined ? 'off' : number(events), { id: 'events-total' }),
          figure('events/s', events === undefined ? '—' : number((events - (eventsBefore || 0)) / span, 1)),
          figure('live customers', number(metric('recommender_live_customers') || 0))),
        el('p', { class: 'muted' }, `Figures ${window}; polled every ${every} s.`)),
      panel('Requests per second',
        legend(['gRPC', 'HTTP']),
        series.grpc.length > 1 ? lineChart([{ name: 'gRPC', points: series.grpc }, { name: 'HTTP', points: series.http }], { unit: '/s', id: 'rps-chart' })
          : el('p', { class: 'muted' }, 'The chart starts after two polls.')),
      panel('By method',
        table([{ label: 'transport' }, { label: 'method' }, { label: 'requests/s', num: true },
          { label: 'calls', num: true }, { label: 'p50', num: true }, { label: 'p99', num: true },
          { label: 'errors', num: true }],
        methods.map((m) => [m.transport === 'grpc' ? 'gRPC' : 'HTTP', m.name,
          number(m.calls / span, 1), number(m.calls),
          milliseconds(quantile(bounds, m.buckets, m.calls, 0.5)),
          milliseconds(quantile(bounds, m.buckets, m.calls, 0.99)),
          number(m.calls - (m.codes.OK || 0))]),
        { id: 'methods' })),
      panel('Errors by status code',
        Object.keys(errors).length
          ? barChart(Object.entries(errors).sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value })))
          : el('p', { class: 'muted' }, `No failed calls ${window}.`)));
  }

  async function poll() {
    if (stopped) return;
    try {
      snapshots.push(await call('/v1/status'));
      if (snapshots.length > 2) snapshots.shift();
      render();
    } catch (error) {
      root.replaceChildren(errorBox(error, 'The counters could not be read'));
    }
    if (!stopped) setTimeout(poll, every * 1000);
  }
  poll();
  page.onLeave = () => { stopped = true; };
  return [el('h1', {}, 'Traffic'), root];
}
