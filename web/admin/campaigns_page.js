// #/campaigns: every campaign with its exports; #/campaigns/ID its report:
// each arm and the held-back control group with response rates and their
// intervals, and each arm's uplift over control with its interval and the
// verdict. #/campaigns/ID?confidence=0.95 sets the intervals' level.
import { call } from './api.js';
import { el, panel, figure, table, errorBox, tag, number, percent, date } from './dom.js';
import { intervalChart } from './charts.js';

function listPanel(campaigns) {
  if (!campaigns.length) {
    return panel('Campaigns', el('p', { class: 'muted' },
      'No campaign yet: create one with CreateCampaign (POST /v1/create-campaign) or the campaigns tool.'));
  }
  return panel('Campaigns',
    table([{ label: 'campaign' }, { label: 'name' }, { label: 'segment' }, { label: 'arms' },
      { label: 'control', num: true }, { label: 'exports', num: true }, { label: 'mailed', num: true }, { label: 'created' }],
    campaigns.map((c) => [
      el('a', { href: `#/campaigns/${encodeURIComponent(c.campaignId)}` }, c.campaignId), c.name, c.segment,
      (c.arms || []).map((a) => a.name).join(', '),
      c.controlShare === undefined ? '—' : percent(c.controlShare, 0),
      String((c.exports || []).length),
      number((c.exports || []).reduce((sum, e) => sum + Number(e.mailed), 0)),
      date(c.createdAt)]),
    { id: 'campaigns', rowData: campaigns.map((c) => ({ campaignId: c.campaignId })) }));
}

function groupRow(g) {
  const rate = g.responseRate || {};
  return [g.name, number(g.customers), number(g.buyers),
    `${percent(rate.estimate)} (${percent(rate.lower)}–${percent(rate.upper)})`,
    number(g.ordersPerCustomer, 2), number(g.revenuePerCustomer), number(g.picksBought), number(g.boughtAfterClick)];
}

function reportPanels(report) {
  const groups = [...(report.arms || []), ...(report.control ? [report.control] : [])];
  const level = percent(report.confidence, 0);
  return [
    panel(`${report.campaignName || report.campaignId}: response by group`,
      el('div', { class: 'figures' },
        figure('attribution window', `${report.attributionWindowDays} days`),
        figure('purchases attributed', number(report.purchasesAttributed)),
        figure('sends still in window', number(report.sendsWithOpenWindow))),
      intervalChart(groups.map((g) => ({
        label: g.name, estimate: g.responseRate?.estimate, lower: g.responseRate?.lower, upper: g.responseRate?.upper,
      }))),
      table([{ label: 'group' }, { label: 'customers', num: true }, { label: 'buyers', num: true },
        { label: `response rate (${level} interval)` }, { label: 'orders / customer', num: true },
        { label: 'revenue / customer', num: true }, { label: 'picks bought', num: true },
        { label: 'bought after a click', num: true }], groups.map(groupRow), { id: 'groups' })),
    panel(`Uplift over control (${level} intervals)`,
      (report.comparisons || []).length
        ? [intervalChart(report.comparisons.map((c) => ({
          label: c.arm, estimate: c.responseUplift?.estimate, lower: c.responseUplift?.lower,
          upper: c.responseUplift?.upper, strong: c.responseSignificant,
        }))),
        table([{ label: 'arm' }, { label: 'response uplift' }, { label: 'revenue uplift' }, { label: 'verdict' }],
          report.comparisons.map((c) => [c.arm,
            c.measurable ? `${percent(c.responseUplift?.estimate)} (${percent(c.responseUplift?.lower)}–${percent(c.responseUplift?.upper)})` : '—',
            c.measurable ? `${number(c.revenueUplift?.estimate)} (${number(c.revenueUplift?.lower)}–${number(c.revenueUplift?.upper)})` : '—',
            [c.responseSignificant ? tag('significant', 'good') : null, ' ', c.verdict]]),
          { id: 'comparisons' })]
        : el('p', { class: 'muted' }, 'No control group: nothing to compare against.')),
  ];
}

export async function campaignsPage(params, page, id) {
  const heading = el('h1', {}, id ? `Campaign ${id}` : 'Campaigns');
  if (!id) {
    try {
      const list = await call('/v1/campaigns');
      return [heading, listPanel(list.campaigns || [])];
    } catch (error) {
      return [heading, errorBox(error, 'Campaigns')];
    }
  }
  const request = { campaignId: id };
  if (params.get('confidence')) request.confidence = Number(params.get('confidence'));
  try {
    const report = await call('/v1/campaign-report', request);
    return [heading, el('p', {}, el('a', { href: '#/campaigns' }, '← all campaigns')), ...reportPanels(report),
      report.text ? panel('Report', el('pre', { id: 'report-text' }, report.text)) : null];
  } catch (error) {
    return [heading, el('p', {}, el('a', { href: '#/campaigns' }, '← all campaigns')), errorBox(error, 'No report')];
  }
}
