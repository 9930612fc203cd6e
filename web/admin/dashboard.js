// The operators' dashboard: a page per hash route (#/model, #/traffic,
// #/customer/ID, #/segments, #/campaigns/ID), so that the back button and a reload keep the page and
// its settings; everything comes from the JSON API.
import { call } from './api.js';
import { el, errorBox } from './dom.js';
import { modelPage } from './model_page.js';
import { trafficPage } from './traffic_page.js';
import { customerPage } from './customer_page.js';
import { segmentsPage } from './segments_page.js';
import { campaignsPage } from './campaigns_page.js';

const main = document.getElementById('page');
let current = { onLeave: null };

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [name = 'model', ...rest] = path.split('/');
  return { name: name || 'model', arg: decodeURIComponent(rest.join('/')), params: new URLSearchParams(query) };
}

async function serverLine() {
  try {
    const status = await call('/v1/status');
    document.getElementById('server').textContent =
      `${status.serving ? 'serving' : 'NOT serving'} · model ${status.modelVersion} · up since ${status.startedAt.replace('T', ' ').slice(0, 19)} UTC`;
  } catch (error) {
    document.getElementById('server').textContent = `server unreachable: ${error.message}`;
  }
}

async function route() {
  if (current.onLeave) current.onLeave();
  const page = { onLeave: null };
  current = page;
  const { name, arg, params } = parseHash();
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('current', link.dataset.page === name);
  }
  main.dataset.page = name;
  main.dataset.state = 'loading';
  let content;
  try {
    if (name === 'model') content = await modelPage(params, page);
    else if (name === 'traffic') content = trafficPage(params, page);
    else if (name === 'customer') content = await customerPage(params, page, arg);
    else if (name === 'segments') content = await segmentsPage(params, page);
    else if (name === 'campaigns') content = await campaignsPage(params, page, arg);
    else content = [el('h1', {}, 'Not found'), errorBox({ code: 'NOT_FOUND', message: `no page "${name}": try #/model, #/traffic, #/customer, #/segments or #/campaigns` })];
  } catch (error) {
    content = [errorBox(error, 'The page failed')];
  }
  if (current !== page) return;  // The user moved on meanwhile.
  document.title = `${name[0].toUpperCase()}${name.slice(1)} — Recommender`;
  main.replaceChildren(...content.filter(Boolean));
  main.dataset.state = 'ready';
}

window.addEventListener('hashchange', route);
serverLine();
route();
