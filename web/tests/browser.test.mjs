// Browser tests of the storefront widget and the operators' dashboard:
// Debian's headless Chromium against the real server on loopback, serving
// a model trained on the sample shop. Each test() is one test case in the
// JUnit report that `./run.sh test` counts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import {
  catalogItems, customersOwningDurables, env, launchBrowser, makeKeys, newPage, screenshot,
  startServer, startShopSite, trainSampleModel, widgetPicks,
} from './harness.mjs';

let shop;       // the sample shop's files and model
let site;       // a shop's own site, on another origin
let server;
let browser;
let customer;   // a customer who owns a durable
let owned;      // that customer's durables

const widgetScript = () => `${server.base}/widget/shop-recommendations.js`;
const CJK = /[\u3040-\u30ff\u4e00-\u9fff]/;

// A shop page that shows one widget under a strict policy.
function shopPage(widget) {
  return {
    headers: {
      'Content-Security-Policy': `default-src 'none'; script-src ${server.base}; ` +
        `style-src 'self'; connect-src ${server.base}`,
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="${widgetScript()}" defer></script></head><body><h1>A shop on its own site</h1>
${widget}</body></html>`,
  };
}

before(async () => {
  shop = trainSampleModel();
  // The shop's site must be listening before the server learns its origin.
  const pages = {};
  site = await startShopSite(pages);
  server = await startServer(shop.models, [site.origin]);
  browser = await launchBrowser();
  const history = async (id) => (await server.api('/v1/customer-history', { customerId: id })).purchases;
  for (const id of customersOwningDurables(shop.data)) {
    const durables = (await history(id)).filter((p) => p.durability === 'DURABLE').map((p) => p.itemId);
    if (durables.length) {
      customer = id;
      owned = new Set(durables);
      break;
    }
  }
  assert.ok(customer, 'the sample shop has a customer who owns a durable');
  pages['/'] = shopPage(
    `<shop-recommendations id="picks" customer="${customer}" count="6" currency="JPY"></shop-recommendations>`);
  // A Japanese-titled item whose similar items include another one.
  const japanese = catalogItems(shop.data).filter((item) => CJK.test(item.title));
  for (const item of japanese) {
    const similar = await server.api('/v1/similar-items', { itemId: item.item_id, count: 20 });
    const found = similar.items.find((pick) => CJK.test(pick.title));
    if (found) {
      pages['/tea'] = shopPage(`<shop-recommendations id="tea" item="${item.item_id}" count="20" ` +
        `data-japanese="${found.itemId}"></shop-recommendations>`);
      break;
    }
  }
  assert.ok(pages['/tea'], 'the sample shop has Japanese titles among similar items');
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  await site?.close();
  assert.equal(code, 0, `the server exits 0 after SIGTERM; its log:\n${server?.log()}`);
});

describe('storefront widget', () => {
  test('shows the picks the API gives a known customer, never an owned durable', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.base}/demo/?customer=${customer}`);
    const widget = await widgetPicks(page);
    const api = await server.api('/v1/recommend', { customerId: customer, count: 8 });
    assert.equal(widget.state, 'ready', widget.error);
    assert.deepEqual(widget.items.map((i) => i.itemId), api.items.map((i) => i.itemId));
    for (const [shown, expected] of widget.items.map((item, i) => [item, api.items[i]])) {
      assert.equal(shown.title, expected.title);
      assert.equal(shown.reason, expected.reasonText);
      assert.ok(shown.price.includes(Math.round(expected.price).toLocaleString('en-US')), shown.price);
      assert.equal(shown.category, expected.category.split('/').join(' › '));
      assert.ok(!owned.has(shown.itemId), `owned durable ${shown.itemId} shown`);
    }
    assert.match(widget.recommendationId, /^r-[0-9a-f]{32}$/);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(page.problems, []);
    await screenshot(page, 'widget-known-customer');
    await page.close();
  });

  test('a click reports a view with the recommendation id, and the server holds it', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.base}/demo/?customer=${customer}`);
    const widget = await widgetPicks(page);
    const clicked = widget.items[0].itemId;
    const card = await page.evaluateHandle(() =>
      document.querySelector('shop-recommendations').shadowRoot.querySelector('[data-item-id]'));
    await Promise.all([page.waitForNavigation(), card.click()]);
    assert.ok(page.url().includes(`item=${clicked}`), page.url());
    await widgetPicks(page);  // The product page's widgets load.
    let held = [];
    for (let i = 0; i < 50 && !held.length; ++i) {
      const history = await server.api('/v1/customer-history', { customerId: customer });
      held = (history.recentEvents || []).filter((e) => e.recommendationId === widget.recommendationId);
      if (!held.length) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(held.length, 1, 'one event carries the recommendation id');
    assert.equal(held[0].itemId, clicked);
    assert.equal(held[0].type, 'VIEW');
    // The product page did not report the same view a second time.
    const history = await server.api('/v1/customer-history', { customerId: customer });
    assert.equal(history.recentEvents.filter((e) => e.itemId === clicked).length, 1);
    await screenshot(page, 'widget-product-page');
    await page.close();
  });

  test('Japanese titles render with a CJK font', async () => {
    const page = await newPage(browser);
    await page.goto(`${site.origin}/tea`);
    const similar = await widgetPicks(page, '#tea');
    assert.equal(similar.state, 'ready', similar.error);
    const japanese = similar.items.filter((i) => CJK.test(i.title));
    assert.ok(japanese.length > 0, `a Japanese title among ${similar.items.map((i) => i.title)}`);
    const fontOk = await page.evaluate(async (text) => {
      await document.fonts.ready;
      return document.fonts.check('16px "Noto Sans CJK JP"', text);
    }, japanese[0].title);
    assert.ok(fontOk, 'the CJK font is there for the title');
    await page.$eval('#tea', (element) => element.shadowRoot
      .querySelector(`[data-item-id="${CSS.escape(element.dataset.japanese)}"]`).scrollIntoView());
    await screenshot(page, 'widget-japanese-titles');
    await page.close();
  });

  test('an anonymous visitor gets picks that follow the items viewed in the tab', async () => {
    const context = await browser.createBrowserContext();
    const page = await newPage(browser, { context });
    await page.goto(`${server.base}/demo/`);
    const first = await widgetPicks(page);
    assert.equal(first.state, 'ready', first.error);
    assert.ok(first.items.length > 0);
    // View a tea, then come back: the picks follow it.
    await page.goto(`${server.base}/demo/?item=P00012`);
    await widgetPicks(page);
    const viewed = await page.evaluate(() => JSON.parse(sessionStorage.getItem('shop-recommendations:viewed')));
    assert.deepEqual(viewed, ['P00012']);
    await page.goto(`${server.base}/demo/`);
    const steered = await widgetPicks(page);
    const api = await server.api('/v1/recommend', { recentlyViewedItemIds: ['P00012'], count: 8 });
    assert.deepEqual(steered.items.map((i) => i.itemId), api.items.map((i) => i.itemId));
    assert.ok(!steered.items.some((i) => i.itemId === 'P00012'), 'the viewed item is not offered back');
    assert.notDeepEqual(steered.items.map((i) => i.itemId), first.items.map((i) => i.itemId));
    await screenshot(page, 'widget-anonymous');
    await context.close();
  });

  test('works on a shop\u2019s own origin under a strict Content-Security-Policy', async () => {
    const page = await newPage(browser);
    await page.goto(`${site.origin}/`);
    const widget = await widgetPicks(page, '#picks');
    assert.equal(widget.state, 'ready', widget.error);
    assert.equal(widget.items.length, 6);
    const styled = await page.$eval('#picks', (element) =>
      getComputedStyle(element.shadowRoot.querySelector('ol')).display);
    assert.equal(styled, 'grid', 'the widget\u2019s styles apply under the policy');
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    await screenshot(page, 'widget-shop-origin');
    await page.close();
  });

  test('a misconfigured widget shows the server\u2019s message', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.base}/demo/?customer=${customer}`);
    await widgetPicks(page);
    await page.$eval('shop-recommendations', (element) => element.setAttribute('count', '0'));
    await page.waitForFunction(() => document.querySelector('shop-recommendations').dataset.state === 'error');
    const widget = await widgetPicks(page);
    assert.match(widget.message, /^Recommendations could not be loaded: count: must be between 1 and 100/);
    await page.close();
  });
});

describe('storefront widget on a server with keys', () => {
  let keys;
  let secured;  // the same model behind API keys and customer tokens

  before(async () => {
    keys = makeKeys(join(env.work, 'keys'));
    secured = await startServer(shop.models, [], { name: 'secured', flags: keys.flags, key: keys.admin });
  });

  after(async () => {
    const code = await secured?.stop();
    assert.equal(code, 0, `the server with keys exits 0 after SIGTERM; its log:\n${secured?.log()}`);
  });

  test('works with a storefront key and a customer token; a wrong token shows the server\u2019s message', async () => {
    const token = keys.token(customer);
    const page = await newPage(browser);
    await page.goto(`${secured.base}/demo/?customer=${customer}&token=${token}&key=${keys.storefront}`);
    const widget = await widgetPicks(page);
    assert.equal(widget.state, 'ready', widget.error);
    const api = await secured.api('/v1/recommend', { customerId: customer, count: 8 });
    assert.deepEqual(widget.items.map((item) => item.itemId), api.items.map((item) => item.itemId));
    for (const item of widget.items) assert.ok(!owned.has(item.itemId), `${item.itemId} is owned`);
    // The key and token left the address for the tab's storage.
    assert.doesNotMatch(page.url(), /token=|key=/);
    await screenshot(page, 'widget-with-keys');

    // The same widget asking for another customer with this token.
    const other = customersOwningDurables(shop.data).find((id) => id !== customer);
    await page.$eval('shop-recommendations', (element, id) => element.setAttribute('customer', id), other);
    await page.waitForFunction(() => document.querySelector('shop-recommendations').dataset.state === 'error');
    const refused = await widgetPicks(page);
    assert.match(refused.message, /^Recommendations could not be loaded: customer_id: the customer token is for another customer/);
    await page.close();

    // A forged token: the server's 401 message is shown, not a blank widget.
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const wrong = await newPage(browser);
    await wrong.goto(`${secured.base}/demo/?customer=${customer}&token=${forged}&key=${keys.storefront}`);
    const shown = await widgetPicks(wrong);
    assert.equal(shown.state, 'error');
    assert.match(shown.message, /^Recommendations could not be loaded: customer token: /);
    await screenshot(wrong, 'widget-wrong-token');
    await wrong.close();
  });

  test('the dashboard asks for a key, then works with the admin key it was opened with', async () => {
    const page = await newPage(browser);
    await page.goto(`${secured.base}/admin/#/model`);
    await page.waitForFunction(() => document.getElementById('page').dataset.state === 'ready', { timeout: 15000 });
    const refused = await page.$eval('#page .alert', (e) => e.textContent);
    assert.match(refused, /UNAUTHENTICATED/);
    assert.match(refused, /no API key/);
    assert.match(refused, /\/admin\/\?key=/);
    await page.close();

    const info = await secured.api('/v1/model');
    const admin = await newPage(browser);
    await admin.goto(`${secured.base}/admin/?key=${keys.admin}#/model`);
    await admin.waitForFunction(() => document.getElementById('page').dataset.state === 'ready', { timeout: 15000 });
    assert.equal(await admin.$eval('#model-version', (e) => e.textContent), info.modelVersion);
    assert.doesNotMatch(admin.url(), /key=/);
    assert.match(admin.url(), /#\/model$/);
    // A reload keeps working: the key stayed in the tab.
    await admin.reload();
    await admin.waitForFunction(() => document.getElementById('page').dataset.state === 'ready', { timeout: 15000 });
    assert.equal(await admin.$eval('#model-version', (e) => e.textContent), info.modelVersion);
    await admin.close();
  });
});

describe('operators\u2019 dashboard', () => {
  async function dashboard(hash, page) {
    page = page || await newPage(browser);
    await page.goto(`${server.base}/admin/${hash}`);
    await page.waitForFunction(() => document.getElementById('page').dataset.state === 'ready', { timeout: 15000 });
    return page;
  }

  test('the model page shows the loaded version and its reloads', async () => {
    const info = await server.api('/v1/model');
    const page = await dashboard('#/model');
    assert.equal(await page.$eval('#model-version', (e) => e.textContent), info.modelVersion);
    const loads = await page.$$eval('#model-loads tbody tr', (rows) => rows.map((r) => [r.dataset.version, r.dataset.loaded]));
    assert.deepEqual(loads, [[info.modelVersion, 'true']]);
    assert.equal(await page.$eval('#index-recall', (e) => e.textContent.trim().length > 0), true);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(page.problems, []);
    await screenshot(page, 'dashboard-model');
    await page.close();
  });

  test('the customer page shows the same picks as the API, and the suppressed durables', async () => {
    const page = await dashboard(`#/customer/${customer}`);
    const shown = await page.$$eval('#picks tbody tr', (rows) => rows.map((r) => r.dataset.itemId));
    const api = await server.api('/v1/recommend', { customerId: customer, count: 10 });
    assert.deepEqual(shown, api.items.map((i) => i.itemId));
    const suppressed = await page.$$eval('#owned tbody tr', (rows) => rows.map((r) => r.dataset.itemId));
    assert.deepEqual(new Set(suppressed), owned);
    const clicks = await page.$$eval('#recent-events tbody tr', (rows) => rows.map((r) => r.dataset.recommendationId));
    assert.ok(clicks.some((id) => /^r-/.test(id)), 'the click of the widget test is listed with its recommendation id');
    assert.match(await page.$eval('#p-active', (e) => e.textContent), /%$/);
    await screenshot(page, 'dashboard-customer');
    await page.close();
  });

  test('the traffic page shows requests per second and latency from the counters', async () => {
    const page = await dashboard('#/traffic?every=1');
    // Calls go on while the page polls, so that each interval has a rate.
    let calling = true;
    const load = (async () => {
      while (calling) await server.api('/v1/recommend', { customerId: customer, count: 4 });
    })();
    try {
      await page.waitForSelector('#rps-chart', { timeout: 15000 });
      await page.waitForFunction(() => [...document.querySelectorAll('#methods tbody tr')]
        .some((r) => r.textContent.includes('HTTP') && r.textContent.includes('Recommender/Recommend')) &&
        Number(document.querySelector('#rps-http .value').textContent.replace(/,/g, '')) > 0,
      { timeout: 15000 });
      await new Promise((resolve) => setTimeout(resolve, 3000));  // A few points on the chart.
    } finally {
      calling = false;
      await load;
    }
    await screenshot(page, 'dashboard-traffic');
    await page.close();
  });

  test('an unknown customer shows the API\u2019s error, not a blank page', async () => {
    const page = await dashboard('#/customer/nobody-like-this');
    const alert = await page.$eval('[role=alert]', (e) => ({ code: e.dataset.code, text: e.textContent }));
    assert.equal(alert.code, 'NOT_FOUND');
    assert.match(alert.text, /customer_id/);
    assert.match(alert.text, /nobody-like-this/);
    await screenshot(page, 'dashboard-error');
    await page.close();
  });

  test('the segments page shows the shop\u2019s RFM grid', async () => {
    const summary = await server.api('/v1/segment-summary', { segment: 'all' });
    const page = await dashboard('#/segments?segment=all');
    assert.equal(await page.$eval('#segment-customers .value', (e) => e.textContent),
      Number(summary.customers).toLocaleString('en-US'));
    const cells = await page.$$eval('#rfm-grid svg rect', (rects) => rects.length);
    assert.equal(cells, summary.cells.length);
    assert.ok(cells > 0);
    const named = await page.$$eval('#rfm-segments tbody tr', (rows) => rows.length);
    assert.equal(named, summary.segments.length);
    await screenshot(page, 'dashboard-segments');
    await page.close();
  });

  test('the campaign page shows each arm and the control group with intervals', async () => {
    const campaign = await server.api('/v1/create-campaign', { campaign: {
      campaignId: 'spring', name: 'Spring mail', segment: 'all', picksPerCustomer: 4,
      arms: [{ name: 'personal', strategy: 'PERSONALIZED', weight: 1 },
        { name: 'popular', strategy: 'POPULAR', weight: 1 }],
      controlShare: 0.2, attributionWindowDays: 14,
    } });
    assert.equal(campaign.campaignId, 'spring');
    const sent = await server.lines('/v1/batch-recommend', { campaignId: 'spring' });
    assert.ok(sent.length > 1, 'the export mailed customers');
    const report = await server.api('/v1/campaign-report', { campaignId: 'spring' });
    const page = await dashboard('#/campaigns');
    await Promise.all([
      page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Campaign spring' &&
        document.getElementById('page').dataset.state === 'ready'),
      page.click('#campaigns tbody tr[data-campaign-id="spring"] a'),
    ]);
    const groups = await page.$$eval('#groups tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
    assert.deepEqual(groups, [...report.arms.map((a) => a.name), report.control.name]);
    const comparisons = await page.$$eval('#comparisons tbody tr', (rows) => rows.length);
    assert.equal(comparisons, report.comparisons.length);
    await screenshot(page, 'dashboard-campaign');
    await page.close();
  });

  test('the back button and a reload keep the page and its state', async () => {
    const page = await dashboard('#/model');
    await page.click('nav a[data-page=customer]');
    await page.waitForSelector('#customer-id');
    await page.type('#customer-id', customer);
    await Promise.all([
      page.waitForFunction((id) => document.querySelector('h1')?.textContent === `Customer ${id}` &&
        document.getElementById('page').dataset.state === 'ready', {}, customer),
      page.click('#lookup button'),
    ]);
    await page.click('nav a[data-page=traffic]');
    await page.waitForSelector('#traffic');
    await page.goBack();
    await page.waitForFunction((id) => document.querySelector('h1')?.textContent === `Customer ${id}` &&
      document.getElementById('page').dataset.state === 'ready', {}, customer);
    assert.ok(page.url().endsWith(`#/customer/${customer}`), page.url());
    await page.reload();
    await page.waitForFunction(() => document.getElementById('page').dataset.state === 'ready');
    assert.equal(await page.$eval('h1', (e) => e.textContent), `Customer ${customer}`);
    assert.ok((await page.$$('#picks tbody tr')).length > 0);
    await page.close();
  });
});
