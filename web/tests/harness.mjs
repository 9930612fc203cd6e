// What the browser tests run against: the sample shop trained into a model,
// the real server binary on loopback with its HTTP port, Debian's headless
// Chromium driven by puppeteer-core, and a second loopback origin playing a
// shop's own site. Paths come from the environment (run_browser_tests.sh).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const env = {
  server: process.env.SERVER_BIN,
  train: process.env.TRAIN_BIN,
  generate: process.env.GENERATE_BIN,
  createApiKey: process.env.CREATE_API_KEY_BIN,
  mintToken: process.env.MINT_TOKEN_BIN,
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  work: process.env.WORK_DIR,
  screenshots: process.env.SCREENSHOT_DIR || '',
};

function required() {
  for (const [name, value] of Object.entries({ SERVER_BIN: env.server, TRAIN_BIN: env.train, GENERATE_BIN: env.generate, WORK_DIR: env.work })) {
    if (!value) throw new Error(`${name} is not set: run the tests through run_browser_tests.sh`);
  }
  if (!existsSync(env.chromium)) {
    throw new Error(`no Chromium at ${env.chromium}: install Debian's chromium package (./run.sh test does)`);
  }
}

// The sample shop (small, fixed seed) and a model trained on it.
export function trainSampleModel() {
  required();
  const data = join(env.work, 'data');
  const models = join(env.work, 'models');
  rmSync(env.work, { recursive: true, force: true });
  mkdirSync(env.work, { recursive: true });
  execFileSync(env.generate, [`--out=${data}`, '--customers=600', '--items=200', '--days=365'], { stdio: 'inherit' });
  execFileSync(env.train, [`--data_dir=${data}`, `--model_dir=${models}`, '--factors=32', '--epochs=8'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { data, models };
}

function readCsv(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
  });
}

// The catalog's rows (item_id, title, category, price, in_stock, durability).
export function catalogItems(data) {
  return readCsv(join(data, 'catalog.csv'));
}

// Customers who bought a durable, from the shop's own files.
export function customersOwningDurables(data) {
  const durable = new Set(catalogItems(data)
    .filter((item) => item.durability === 'durable').map((item) => item.item_id));
  const seen = [];
  for (const event of readCsv(join(data, 'events.csv'))) {
    if (event.type === 'purchase' && durable.has(event.item_id) && !seen.includes(event.customer_id)) {
      seen.push(event.customer_id);
    }
  }
  return seen;
}

async function waitForFile(path, child, seconds = 30) {
  for (let i = 0; i < seconds * 10; ++i) {
    if (existsSync(path) && readFileSync(path, 'utf8').trim()) return Number(readFileSync(path, 'utf8'));
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not write ${path} within ${seconds} s`);
}

// API keys and customer tokens for a server with keys (in `dir`): one
// storefront and one admin key, and a token-keys file; `token(customer)`
// mints a customer token as a shop's backend would.
export function makeKeys(dir) {
  mkdirSync(dir, { recursive: true });
  const keysFile = join(dir, 'keys.txt');
  const tokenKeysFile = join(dir, 'token-keys.txt');
  rmSync(keysFile, { force: true });
  rmSync(tokenKeysFile, { force: true });
  const create = (id, role) => execFileSync(env.createApiKey,
    [`--keys_file=${keysFile}`, `--key_id=${id}`, `--roles=${role}`], { encoding: 'utf8' }).trim();
  const storefront = create('web-shop', 'storefront');
  const admin = create('web-admin', 'admin');
  execFileSync(env.mintToken, [`--new_key_file=${tokenKeysFile}`, '--key_id=web-shop'], { stdio: 'ignore' });
  return {
    storefront,
    admin,
    flags: [`--keys_file=${keysFile}`, `--customer_token_keys=${tokenKeysFile}`],
    token: (customer) => execFileSync(env.mintToken,
      [`--key_file=${tokenKeysFile}`, `--customer_id=${customer}`, '--ttl_seconds=600'], { encoding: 'utf8' }).trim(),
  };
}

// The real server with its HTTP port; `origins` may call it cross-origin.
// `name` keeps a second server's files apart; `flags` are added; `key`
// is sent by api() and lines().
export async function startServer(models, origins, { name = '', flags = [], key = '' } = {}) {
  const dir = name ? join(env.work, name) : env.work;
  mkdirSync(dir, { recursive: true });
  const portFile = join(dir, 'http.port');
  const grpcPortFile = join(dir, 'grpc.port');
  rmSync(portFile, { force: true });
  rmSync(grpcPortFile, { force: true });
  const headers = { 'Content-Type': 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const child = spawn(env.server, [
    `--model_dir=${models}`, '--port=0', `--port_file=${grpcPortFile}`,
    '--http_port=0', `--http_port_file=${portFile}`, '--clock=data_end',
    `--event_log_dir=${join(dir, 'events')}`, `--cors_origins=${origins.join(',')}`,
    `--campaign_log_dir=${join(dir, 'campaigns')}`, ...flags,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  await waitForFile(grpcPortFile, child);
  const port = await waitForFile(portFile, child);
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    log: () => log,
    async api(path, body) {
      const response = await fetch(base + path, {
        method: 'POST', headers, body: JSON.stringify(body ?? {}),
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}: ${JSON.stringify(json)}`);
      return json;
    },
    // A streaming call: the JSON Lines, parsed.
    async lines(path, body) {
      const response = await fetch(base + path, {
        method: 'POST', headers, body: JSON.stringify(body ?? {}),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}: ${text}`);
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    },
  };
}

// A shop's own site on another loopback port: `pages` maps a path to
// {body, headers}.
export async function startShopSite(pages) {
  const server = createServer((request, response) => {
    const page = pages[new URL(request.url, 'http://x').pathname];
    if (!page) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...page.headers });
    response.end(page.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

export async function launchBrowser() {
  return puppeteer.launch({
    executablePath: env.chromium,
    headless: true,
    userDataDir: join(env.work, 'chromium-profile'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--lang=en-US'],
  });
}

// A page that records CSP violations and console errors.
export async function newPage(browser, { context } = {}) {
  const page = await (context || browser).newPage();
  await page.setViewport({ width: 1100, height: 760 });
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  await page.evaluateOnNewDocument(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return page;
}

export async function screenshot(page, name) {
  if (!env.screenshots) return;
  mkdirSync(env.screenshots, { recursive: true });
  await page.screenshot({ path: join(env.screenshots, `${name}.png`) });
}

// The widget's state and picks, read through its open shadow root.
export async function widgetPicks(page, selector = 'shop-recommendations') {
  await page.waitForFunction((s) => {
    const element = document.querySelector(s);
    return element && (element.dataset.state === 'ready' || element.dataset.state === 'error');
  }, { timeout: 15000 }, selector);
  return page.$eval(selector, (element) => ({
    state: element.dataset.state,
    error: element.dataset.error || '',
    recommendationId: element.dataset.recommendationId || '',
    items: [...element.shadowRoot.querySelectorAll('[data-item-id]')].map((card) => ({
      itemId: card.dataset.itemId,
      title: card.querySelector('.title').textContent,
      price: card.querySelector('.price').textContent,
      category: card.querySelector('.category').textContent,
      reason: card.querySelector('.reason').textContent,
    })),
    message: element.shadowRoot.querySelector('.message')?.textContent || '',
  }));
}
