// The demo storefront's own code: which page this is (the URL's ?customer=
// and ?item=), and the widgets it shows. Everything the shopper sees below
// the header comes from <shop-recommendations>. On a server with keys the
// address may carry the storefront key (?key=) and the signed-in customer's
// token (?token=, as a shop's backend would mint it): both are kept in the
// tab's sessionStorage and dropped from the address.
(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const customer = (params.get('customer') || '').trim();
  const item = (params.get('item') || '').trim();
  const ITEMS = 'demo-storefront:items';
  const KEY = 'demo-storefront:key';
  const TOKEN = 'demo-storefront:token';

  if (params.has('key') || params.has('token')) {
    if (params.get('key')) sessionStorage.setItem(KEY, params.get('key'));
    if (params.get('token')) {
      sessionStorage.setItem(TOKEN, JSON.stringify({ customer, token: params.get('token') }));
    }
    params.delete('key');
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : ''));
  }
  const apiKey = sessionStorage.getItem(KEY) || '';
  const saved = JSON.parse(sessionStorage.getItem(TOKEN) || 'null');
  const token = saved && saved.customer === customer ? saved.token : '';

  const byId = (id) => document.getElementById(id);
  const link = (itemId) => {
    const query = new URLSearchParams({ item: itemId });
    if (customer) query.set('customer', customer);
    return './?' + query.toString().replace('%7Bid%7D', '{id}');
  };

  function widget(attributes) {
    const element = document.createElement('shop-recommendations');
    for (const [name, value] of Object.entries(attributes)) {
      if (value) element.setAttribute(name, value);
    }
    if (apiKey) element.setAttribute('api-key', apiKey);
    if (token) element.setAttribute('token', token);
    element.setAttribute('item-url', link('{id}'));
    element.setAttribute('currency', 'JPY');
    byId('widgets').append(element);
    return element;
  }

  // Titles of items seen in picks, so that a product page can show its own.
  function remember(event) {
    const known = JSON.parse(sessionStorage.getItem(ITEMS) || '{}');
    for (const pick of event.detail.picks || []) known[pick.itemId] = pick;
    sessionStorage.setItem(ITEMS, JSON.stringify(known));
  }
  document.addEventListener('recommendations', remember);

  byId('customer-input').value = customer;
  if (item) {
    const known = JSON.parse(sessionStorage.getItem(ITEMS) || '{}')[item] || {};
    byId('product').hidden = false;
    byId('welcome').hidden = true;
    byId('product-title').textContent = known.title || item;
    byId('product-category').textContent = (known.category || '').split('/').join(' › ');
    byId('product-price').textContent = known.price !== undefined
      ? new Intl.NumberFormat(undefined, { style: 'currency', currency: 'JPY' }).format(known.price)
      : '';
    byId('product-id').textContent = item;
    document.title = `${known.title || item} — Sample shop`;
    widget({ item, customer, count: '8', heading: 'Similar items' });
    widget({ customer, count: '4', heading: customer ? 'Also for you' : 'Based on what you viewed' });
  } else {
    byId('greeting').textContent = customer ? `Welcome back, ${customer}` : 'Welcome';
    byId('explainer').textContent = customer
      ? 'Picks for you from the model, with why each was chosen. Open one: the click is recorded with its recommendation id.'
      : 'You are browsing anonymously: the picks follow what you view in this tab.';
    widget({ customer, count: '8' });
  }
})();
