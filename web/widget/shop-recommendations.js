/*
 * <shop-recommendations>: the storefront widget of the recommendation
 * service. One script tag and one element, no framework, no build step:
 *
 *   <script src="https://RECOMMENDER/widget/shop-recommendations.js" defer></script>
 *   <shop-recommendations customer="C00042" count="8"></shop-recommendations>
 *
 * Attributes:
 *   customer  the signed-in customer's id; without it the visitor is
 *             anonymous and the picks follow the items viewed in this
 *             browser tab (sessionStorage)
 *   count     how many picks, 1 to 100 (default 8)
 *   item      on a product page: items similar to this one; the page's view
 *             is remembered and, for a customer, reported
 *   item-url  link of each pick, "{id}" replaced by its item id (default:
 *             no link)
 *   heading   the title above the picks
 *   currency  ISO 4217 code for prices, e.g. "JPY" (default: plain numbers)
 *   api-key   the shop's storefront API key, sent as "X-API-Key" (a server
 *             with keys on needs one; it is public: it lets a page ask for
 *             picks and record views, never read a customer's history)
 *   token     the signed-in customer's token, minted by the shop's backend
 *             and sent as "X-Customer-Token": with a storefront key the
 *             server answers for that customer only
 *   endpoint  the server's address (default: where this script came from)
 *
 * Clicks on picks are reported as VIEW events carrying the response's
 * recommendation id, so that purchases can be attributed to it. Works under
 * a strict Content-Security-Policy: no inline script or style, no eval
 * (styles are a constructed stylesheet).
 */
(() => {
  'use strict';
  const origin = document.currentScript
    ? new URL(document.currentScript.src, location.href).origin
    : location.origin;
  const VIEWED = 'shop-recommendations:viewed';
  const VISITOR = 'shop-recommendations:visitor';
  const REPORTED = 'shop-recommendations:reported';
  const MAX_VIEWED = 20;
  const CSS = `
:host{display:block;font:inherit;color:inherit;container-type:inline-size}
:host([hidden]){display:none}
h2{font-size:1.15em;margin:0 0 .6em}
ol{list-style:none;margin:0;padding:0;display:grid;gap:.75em;
 grid-template-columns:repeat(auto-fill,minmax(min(100%,11em),1fr))}
li{display:flex}
a,.card{display:flex;flex-direction:column;gap:.3em;flex:1;padding:.75em;
 border:1px solid #d8dadf;border-radius:.5em;background:#fff;color:inherit;
 text-decoration:none;min-width:0}
a:hover,a:focus-visible{border-color:#4462c8;box-shadow:0 1px 4px #0002}
.title{font-weight:600;line-height:1.3;overflow-wrap:anywhere}
.category{font-size:.8em;color:#5b6070}
.price{font-weight:700}
.reason{font-size:.85em;color:#3d5a99;margin-top:auto}
.message{color:#5b6070;font-size:.9em}
@container (max-width:30em){ol{grid-template-columns:repeat(2,1fr)}}`;
  let sheet = null;

  const session = {
    get(key, fallback) {
      try { return JSON.parse(sessionStorage.getItem(key)) ?? fallback; } catch { return fallback; }
    },
    set(key, value) {
      try { sessionStorage.setItem(key, JSON.stringify(value)); } catch { /* storage off */ }
    },
  };

  // Newest first, without repeats.
  function rememberView(itemId) {
    const viewed = session.get(VIEWED, []).filter((id) => id !== itemId);
    viewed.unshift(itemId);
    session.set(VIEWED, viewed.slice(0, MAX_VIEWED));
  }

  function visitorId() {
    let id = session.get(VISITOR, '');
    if (!id) {
      id = 'visitor-' + crypto.getRandomValues(new Uint32Array(2)).join('-');
      session.set(VISITOR, id);
    }
    return id;
  }

  class ShopRecommendations extends HTMLElement {
    static get observedAttributes() {
      return ['customer', 'count', 'item', 'endpoint', 'token', 'api-key'];
    }

    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      this.shadowRoot.adoptedStyleSheets = [sheet];
      this.generation = 0;
    }

    connectedCallback() {
      const item = this.getAttribute('item');
      if (item) this.reportPageView(item);
      this.load();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }

    get customer() { return (this.getAttribute('customer') || '').trim(); }
    get endpoint() { return (this.getAttribute('endpoint') || origin).replace(/\/$/, ''); }

    async call(path, body, keepalive = false) {
      const headers = { 'Content-Type': 'application/json' };
      const key = this.getAttribute('api-key');
      if (key) headers['X-API-Key'] = key;
      const token = this.getAttribute('token');
      if (token) headers['X-Customer-Token'] = token;
      const response = await fetch(this.endpoint + path, {
        method: 'POST', headers, body: JSON.stringify(body), keepalive,
        credentials: 'omit',
      });
      const json = await response.json().catch(() => ({}));
      if (!response.ok) {
        const error = new Error(json.error?.message || `HTTP ${response.status}`);
        error.status = response.status;
        throw error;
      }
      return json;
    }

    async load() {
      const generation = ++this.generation;
      const count = Number(this.getAttribute('count') || 8);
      const item = this.getAttribute('item');
      let path = '/v1/recommend';
      let request = { count };
      if (item) {
        path = '/v1/similar-items';
        request.itemId = item;
      } else if (this.customer) {
        request.customerId = this.customer;
      } else if (this.getAttribute('token')) {
        // The server answers for the token's customer.
      } else {
        const viewed = session.get(VIEWED, []);
        if (viewed.length) request.recentlyViewedItemIds = viewed;
        else request.customerId = visitorId();
      }
      this.dataset.state = 'loading';
      try {
        const response = await this.call(path, request);
        if (generation !== this.generation) return;
        this.render(response, item);
      } catch (error) {
        if (generation !== this.generation) return;
        this.showMessage(error);
      }
    }

    heading(item) {
      return this.getAttribute('heading') ||
        (item ? 'Similar items' : this.customer ? 'Recommended for you' : 'You may also like');
    }

    render(response, item) {
      const root = this.shadowRoot;
      root.replaceChildren();
      const title = document.createElement('h2');
      title.part = 'heading';
      title.textContent = this.heading(item);
      const list = document.createElement('ol');
      list.part = 'list';
      const currency = this.getAttribute('currency');
      const format = new Intl.NumberFormat(document.documentElement.lang || undefined,
        currency ? { style: 'currency', currency } : {});
      const template = this.getAttribute('item-url');
      const id = response.recommendationId || '';
      for (const pick of response.items || []) {
        const card = document.createElement(template ? 'a' : 'div');
        card.className = 'card';
        card.part = 'item';
        card.dataset.itemId = pick.itemId;
        if (template) card.href = template.replaceAll('{id}', encodeURIComponent(pick.itemId));
        card.append(
          this.span('title', pick.title || pick.itemId),
          this.span('category', (pick.category || '').split('/').join(' › ')),
          this.span('price', format.format(pick.price || 0)),
          this.span('reason', pick.reasonText || ''));
        card.addEventListener('click', () => this.reportClick(pick.itemId, id));
        const entry = document.createElement('li');
        entry.append(card);
        list.append(entry);
      }
      root.append(title, list);
      this.dataset.state = 'ready';
      this.dataset.recommendationId = id;
      this.dataset.modelVersion = response.modelVersion || '';
      this.dispatchEvent(new CustomEvent('recommendations', {
        bubbles: true,
        detail: { recommendationId: id, picks: response.items || [] },
      }));
    }

    span(className, text) {
      const span = document.createElement('span');
      span.className = className;
      span.part = className;
      span.textContent = text;
      return span;
    }

    showMessage(error) {
      this.shadowRoot.replaceChildren(this.span('message',
        error.status && error.status < 500
          ? `Recommendations could not be loaded: ${error.message}`
          : 'Recommendations are not available right now.'));
      this.dataset.state = 'error';
      this.dataset.error = error.message;
      console.warn('shop-recommendations:', error.message);
    }

    // A click opens the item: a view, attributed to the response it came from.
    reportClick(itemId, recommendationId) {
      rememberView(itemId);
      this.dispatchEvent(new CustomEvent('recommendation-click', {
        bubbles: true, detail: { itemId, recommendationId },
      }));
      if (!this.customer) return;
      session.set(REPORTED, { itemId, at: Date.now() });
      this.sendView(itemId, recommendationId, true);
    }

    // The product page's own view, unless a click just reported it.
    reportPageView(itemId) {
      rememberView(itemId);
      if (!this.customer) return;
      const reported = session.get(REPORTED, null);
      session.set(REPORTED, null);
      if (reported && reported.itemId === itemId && Date.now() - reported.at < 60000) return;
      this.sendView(itemId, '', false);
    }

    sendView(itemId, recommendationId, keepalive) {
      const event = { customerId: this.customer, itemId, type: 'VIEW' };
      if (recommendationId) event.recommendationId = recommendationId;
      this.call('/v1/events', { events: [event] }, keepalive)
        .then((result) => {
          this.dispatchEvent(new CustomEvent('event-recorded', { bubbles: true, detail: result }));
        })
        .catch((error) => console.warn('shop-recommendations: event not recorded:', error.message));
    }
  }

  if (!customElements.get('shop-recommendations')) {
    customElements.define('shop-recommendations', ShopRecommendations);
  }
})();
