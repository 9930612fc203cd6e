// #/customer/ID: one customer as the server sees them — the current picks
// with their reasons, the owned durables that are never offered, the
// consumables and when each is due, P(active) and lifetime value, the
// purchase history and the events recorded since training.
// #/customer/ID?horizon=N sets the forecast horizon in days (default 30).
import { call } from './api.js';
import { el, panel, figure, table, errorBox, tag, number, percent, date } from './dom.js';

const STATUS = {
  NOT_DUE: ['not due', ''], DUE_SOON: ['due soon', 'warn'],
  OVERDUE: ['overdue', 'bad'], LAPSED: ['lapsed', ''],
};

function lookupForm(id) {
  const input = el('input', { name: 'customer', id: 'customer-id', value: id || '',
    placeholder: 'customer id', autocomplete: 'off', required: true });
  const form = el('form', { class: 'lookup', id: 'lookup' },
    el('label', { for: 'customer-id' }, 'Customer'), input, el('button', { type: 'submit' }, 'Look up'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/customer/${encodeURIComponent(input.value.trim())}`;
  });
  return form;
}

function picksPanel(picks, owned) {
  const offeredOwned = picks.items.filter((p) => owned.has(p.itemId));
  return panel('Current picks',
    el('p', { class: 'muted' }, `Model ${picks.modelVersion}, recommendation ${picks.recommendationId}.`),
    table([{ label: '#' }, { label: 'item' }, { label: 'title' }, { label: 'category' },
      { label: 'price', num: true }, { label: 'why' }, { label: 'score', num: true }],
    picks.items.map((p, i) => [String(i + 1), p.itemId, p.title, p.category, number(p.price),
      p.reasonText, number(p.score, 3)]),
    { id: 'picks', rowData: picks.items.map((p) => ({ itemId: p.itemId })) }),
    offeredOwned.length
      ? el('div', { class: 'alert', role: 'alert' }, `Owned durables among the picks: ${offeredOwned.map((p) => p.itemId).join(', ')}`)
      : null);
}

function ownedPanel(history) {
  const owned = new Map();
  for (const p of history.purchases) {
    if (p.durability === 'DURABLE' && !owned.has(p.itemId)) owned.set(p.itemId, p);
  }
  return [owned, panel('Owned durables — never offered again',
    owned.size
      ? table([{ label: 'item' }, { label: 'title' }, { label: 'category' }, { label: 'bought' }],
        [...owned.values()].map((p) => [p.itemId, p.title, p.category, date(p.purchasedAt)]),
        { id: 'owned', rowData: [...owned.keys()].map((itemId) => ({ itemId })) })
      : el('p', { class: 'muted' }, 'No durable bought: nothing is suppressed.'))];
}

function timingPanels(forecast) {
  if (forecast.error) {
    return [panel('Next purchases', errorBox(forecast.error, 'No forecast'))];
  }
  const customer = forecast.customer;
  const value = panel(`Customer value over ${forecast.horizonDays} days`,
    customer
      ? el('div', { class: 'figures' },
        figure('P(active)', percent(customer.probabilityActive), { id: 'p-active' }),
        figure('orders expected', number(customer.expectedOrders, 2)),
        figure('P(an order)', percent(customer.probabilityOrder)),
        figure('order value', number(customer.expectedOrderValue)),
        figure('expected spend', number(customer.expectedSpend)),
        figure('lifetime value', number(customer.lifetimeValue), { id: 'ltv' }))
      : el('p', { class: 'muted' }, 'No purchases up to now: no lifetime figures.'),
    el('p', { class: 'muted' }, `As of ${date(forecast.asOf)}.`));
  const consumables = panel('Consumables and when they are due',
    forecast.consumables.length
      ? table([{ label: 'item' }, { label: 'title' }, { label: 'last bought' }, { label: 'times', num: true },
        { label: 'every (days)', num: true }, { label: 'due' }, { label: 'predicted' }, { label: 'status' },
        { label: 'why' }],
      forecast.consumables.map((c) => {
        const [text, kind] = STATUS[c.status] || [c.status, ''];
        return [c.itemId, c.title, date(c.lastPurchasedAt), String(c.timesBought),
          number(c.typicalIntervalDays, 1), date(c.dueAt), date(c.predictedAt), tag(text, kind), c.explanation];
      }), { id: 'consumables' })
      : el('p', { class: 'muted' }, 'No consumable bought.'));
  return [value, consumables];
}

function historyPanels(history) {
  const recent = history.recentEvents || [];
  return [
    panel('Events since the model was trained',
      recent.length
        ? table([{ label: 'at' }, { label: 'type' }, { label: 'item' }, { label: 'title' },
          { label: 'recommendation' }],
        recent.map((e) => [date(e.timestamp), e.type, e.itemId, e.title, e.recommendationId || '—']),
        { id: 'recent-events', rowData: recent.map((e) => ({ recommendationId: e.recommendationId })) })
        : el('p', { class: 'muted' }, 'None: the model has seen everything this customer did.')),
    panel(`Purchase history (${history.purchases.length})`,
      table([{ label: 'bought' }, { label: 'item' }, { label: 'title' }, { label: 'category' }, { label: 'kind' }],
        history.purchases.map((p) => [date(p.purchasedAt), p.itemId, p.title, p.category,
          p.durability === 'DURABILITY_UNKNOWN' ? '—' : p.durability.toLowerCase()]),
        { id: 'history' })),
  ];
}

// Owned durables beside the customer's value; the consumables' table is wide.
function layout(ownedBox, [value, consumables]) {
  return consumables ? [el('div', { class: 'grid' }, ownedBox, value), consumables]
    : [el('div', { class: 'grid' }, ownedBox, value)];
}

export async function customerPage(params, page, id) {
  const heading = [el('h1', {}, id ? `Customer ${id}` : 'Customers'), lookupForm(id)];
  if (!id) {
    return [...heading, el('p', { class: 'muted' },
      'Look up a customer to see their picks and why, what is suppressed, and what is due.')];
  }
  const horizon = Number(params.get('horizon') || 30);
  const [history, picks, forecast] = await Promise.allSettled([
    call('/v1/customer-history', { customerId: id }),
    call('/v1/recommend', { customerId: id, count: 10 }),
    call('/v1/next-purchase', { customerId: id, horizonDays: horizon }),
  ]);
  if (history.status === 'rejected') {
    return [...heading, errorBox(history.reason, 'Lookup failed')];
  }
  const [owned, ownedBox] = ownedPanel(history.value);
  return [
    ...heading,
    picks.status === 'fulfilled' ? picksPanel(picks.value, owned) : errorBox(picks.reason, 'No picks'),
    ...layout(ownedBox, timingPanels(forecast.status === 'fulfilled' ? forecast.value : { error: forecast.reason })),
    ...historyPanels(history.value),
  ];
}
