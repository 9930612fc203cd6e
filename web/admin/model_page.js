// #/model: the model in service (version, training and data dates, counts,
// item index and its recall, training metrics and parameters, tuning) with
// its age and a warning when stale, and the versions loaded or refused.
// #/model?stale_days=N sets when a model counts as stale (default 7).
import { call } from './api.js';
import { el, panel, figure, table, errorBox, tag, number, date, duration } from './dom.js';

function ageSeconds(info, status) {
  const trained = Date.parse(info.trainedAt);
  const now = Date.parse(status.now);
  return Number.isFinite(trained) && Number.isFinite(now) ? (now - trained) / 1000 : NaN;
}

function mapTable(map, { digits } = {}) {
  const keys = Object.keys(map || {}).sort();
  if (!keys.length) return el('p', { class: 'muted' }, 'None recorded.');
  return table([{ label: 'name' }, { label: 'value', num: digits !== undefined }],
    keys.map((k) => [k, digits !== undefined ? number(map[k], digits) : String(map[k])]));
}

function tuningPanel(tuning) {
  if (!tuning || !(tuning.trials || []).length) {
    return panel('Tuning', el('p', { class: 'muted' },
      'This model was trained with fixed settings (no self-tuning report in its manifest).'));
  }
  const trials = tuning.trials.map((t) => [
    String(t.number), t.stage,
    Object.entries(t.settings || {}).map(([k, v]) => `${k}=${v}`).join(' '),
    number((t.metrics || {}).objective, 4), number(t.seconds, 1)]);
  return panel('Tuning',
    el('p', {}, `${tuning.validation || ''} — objective: ${tuning.objective || ''}; ` +
      `${tuning.trials.length} trials in ${number(tuning.elapsedSeconds, 0)} s.`),
    el('h2', {}, 'Chosen settings'), mapTable(tuning.chosen),
    el('h2', {}, 'Validation metrics'), mapTable(tuning.validationMetrics, { digits: 4 }),
    el('h2', {}, 'Trials'),
    table([{ label: '#' }, { label: 'stage' }, { label: 'settings' },
      { label: 'objective', num: true }, { label: 'seconds', num: true }], trials));
}

function loadsPanel(status) {
  const loads = status.modelLoads || [];
  const refused = loads.filter((l) => !l.loaded).length;
  return panel('Reloads since the server started',
    el('p', { class: 'muted' }, `${loads.length} attempts, ${refused} refused. A refused version is never retried; the previous one keeps serving.`),
    table([{ label: 'version' }, { label: 'at' }, { label: 'outcome' }, { label: 'why refused' }],
      loads.map((l) => [l.version, date(l.at), l.loaded ? tag('in service', 'good') : tag('refused', 'bad'), l.error || '']),
      { id: 'model-loads', rowData: loads.map((l) => ({ version: l.version, loaded: String(l.loaded) })) }));
}

export async function modelPage(params) {
  const staleDays = Number(params.get('stale_days') || 7);
  let info;
  let status;
  try {
    [info, status] = await Promise.all([call('/v1/model'), call('/v1/status')]);
  } catch (error) {
    return [el('h1', {}, 'Model'), errorBox(error, 'The model could not be read')];
  }
  const age = ageSeconds(info, status);
  const stale = age > staleDays * 86400;
  const index = info.index || {};
  return [
    el('h1', {}, 'Model ', el('span', { id: 'model-version', dataset: { version: info.modelVersion } }, info.modelVersion)),
    stale ? el('div', { class: 'alert warn', role: 'alert', id: 'stale-warning' },
      el('strong', {}, 'Stale model'),
      `Trained ${duration(age)} ago, more than ${staleDays} days: is the training job running?`) : null,
    panel('In service',
      el('div', { class: 'figures' },
        figure('version', info.modelVersion),
        figure('trained at', date(info.trainedAt)),
        figure('age', Number.isFinite(age) ? duration(age) : '—', { id: 'model-age' }),
        figure('data ends', date(info.dataEnd)),
        figure('items', number(info.numItems)),
        figure('customers', number(info.numCustomers)),
        figure('events', number(info.numEvents)),
        figure('dimensions', number(info.embeddingDimension)))),
    el('div', { class: 'grid' },
      panel('Item index',
        el('div', { class: 'figures' },
          figure('type', info.indexType || '—'),
          figure('asked for', index.requested || '—'),
          figure('recall@10', index.recallQueries ? number(index.recallAt10, 3) : '—', { id: 'index-recall' }),
          figure('build', index.buildSeconds ? `${number(index.buildSeconds, 2)} s` : '—')),
        index.recallQueries ? el('p', { class: 'muted' }, `Recall against exact search over ${index.recallQueries} customer vectors.`) : null,
        mapTable(index.parameters)),
      panel('Training metrics', mapTable(info.trainingMetrics, { digits: 4 }))),
    tuningPanel(info.tuning),
    loadsPanel(status),
    panel('Training parameters', mapTable(info.parameters)),
  ];
}
