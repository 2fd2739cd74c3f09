// The end user's usage page: one module, no framework. State comes from the API each time
// (usage, analytics, recommendation), never kept apart from it. The subject token comes from the
// URL's fragment (#token=…), which browsers never send to a server.
import { STRINGS as S } from '/usage/strings.js';
import { readEvents } from '/shared/sse.js';

const POLL_MS = 1000; // without the stream: within the 2 s the page promises
const STREAM_POLL_MS = 10000; // with the stream: a safety net only
const FORECAST_EVERY_MS = 15000;
const $ = (id) => document.getElementById(id);

/** The token and its subject (the token's payload is "1\n<expiry>\n<subject>", base64url). */
export function readToken(hash) {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (!token || !token.startsWith('qst_')) return null;
  try {
    const payload = token.slice(4).split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    const [version, expiry, subject] = new TextDecoder().decode(bytes).split('\n');
    if (version !== '1' || !subject) return null;
    return { token, subject, expiresAt: Number(expiry) * 1000 };
  } catch {
    return null;
  }
}

const auth = readToken(location.hash);
let chart = null;
let lastUsage = '';
let forecastAt = 0;
let analytics = null;
let recommendation = null;
let streaming = false;
let running = false;
let again = false;
let timer = null;

async function api(path) {
  const r = await fetch(path, { headers: { Authorization: `Bearer ${auth.token}` }, cache: 'no-store' });
  if (r.status === 401) throw Object.assign(new Error('expired'), { expired: true });
  if (!r.ok) throw new Error(`${r.status}`);
  return r.json();
}

const fmt = (n) => (n === null || n === undefined ? S.na : Number(n).toLocaleString());
const date = (iso) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const percentOf = (m) => (m.limit === null ? null : m.limit === 0 ? 100 : Math.round(((m.used + m.held) * 1000) / m.limit) / 10);
const severity = (p) => (p === null ? 'unlimited' : p >= 100 ? 'exceeded' : p >= 95 ? 'critical' : p >= 80 ? 'warning' : 'ok');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function renderMetrics(usage) {
  const box = $('metrics');
  box.replaceChildren();
  for (const m of usage.metrics) {
    const p = percentOf(m);
    const level = severity(p);
    const card = el('article', { class: `card metric ${level}`, 'data-metric': m.metric });
    card.append(el('h2', { text: m.metric }));
    if (m.limit === null) {
      card.append(el('p', { class: 'figures', 'data-role': 'used', text: S.usedUnlimited(fmt(m.used + m.held)) }));
      card.append(el('p', { class: 'muted', text: S.unlimited }));
    } else {
      card.append(el('p', { class: 'figures', 'data-role': 'used', text: S.used(fmt(m.used + m.held), fmt(m.limit)) }));
      const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-label': m.metric, 'aria-valuemin': '0',
        'aria-valuemax': '100', 'aria-valuenow': String(Math.min(100, p)) });
      const fill = el('div', { class: 'fill' });
      fill.style.width = `${Math.min(100, p)}%`;
      bar.append(fill);
      card.append(bar);
      card.append(el('p', { class: 'remaining', 'data-role': 'remaining', text: S.remaining(fmt(m.remaining)) }));
    }
    if (m.bonusRemaining > 0) card.append(el('p', { class: 'bonus', 'data-role': 'bonus', text: S.bonus(fmt(m.bonusRemaining)) }));
    card.append(el('p', { class: 'muted small', 'data-role': 'resets', text: m.resetsAt ? S.resets(date(m.resetsAt)) : S.neverResets }));
    box.append(card);
  }
}

/** The banner key: per subject, metric, threshold and window, so a new threshold or window shows it again. */
export const bannerKey = (subject, metric, threshold, windowStart) => `quotient.banner.${subject}.${metric}.${threshold}.${windowStart}`;

function renderBanners(usage) {
  const box = $('banners');
  box.replaceChildren();
  for (const m of usage.metrics) {
    const p = percentOf(m);
    if (p === null || p < 80) continue;
    const threshold = p >= 95 ? 95 : 80;
    const key = bannerKey(usage.subject, m.metric, threshold, m.windowStart);
    if (localStorage.getItem(key)) continue;
    const text = p >= 100 ? S.exceeded(m.metric) : threshold === 95 ? S.critical(m.metric, Math.floor(p)) : S.warning(m.metric, Math.floor(p));
    const banner = el('div', { class: `banner ${threshold === 95 ? 'critical' : 'warning'}`, role: 'status',
      'data-metric': m.metric, 'data-threshold': String(threshold) });
    banner.append(el('span', { text }));
    const dismiss = el('button', { type: 'button', class: 'dismiss', 'aria-label': `${S.dismiss}: ${text}`, text: S.dismiss });
    dismiss.addEventListener('click', () => { localStorage.setItem(key, '1'); banner.remove(); });
    banner.append(dismiss);
    box.append(banner);
  }
}

const priceText = (price) => {
  if (!price) return S.na;
  if (Number(price.amount) === 0) return S.free;
  const amount = Number(price.amount).toLocaleString(undefined, { style: 'currency', currency: price.currency });
  return amount + (price.per === 'year' ? S.perYear : S.perMonth);
};

function renderRecommendation(usage) {
  const open = $('upgrade-open');
  const anyHigh = usage.metrics.some((m) => (percentOf(m) ?? 0) >= 80);
  open.hidden = !(recommendation && (recommendation.action === 'upgrade' || anyHigh));
  if (!recommendation) return;
  const r = recommendation;
  $('upgrade-title').textContent = S.upgradeTitle;
  const urgent = r.reasons.find((x) => x.daysUntilLimit !== null && !x.fits);
  $('upgrade-urgency').hidden = !(r.urgent && urgent);
  if (urgent) $('upgrade-urgency').textContent = S.upgradeUrgent(urgent.metric, urgent.daysUntilLimit);
  const table = $('upgrade-table');
  table.replaceChildren();
  const head = el('tr', {}, el('th', { scope: 'col', text: '' }), el('th', { scope: 'col', text: `${S.current}: ${r.currentPlan}` }));
  if (r.recommendedPlan) head.append(el('th', { scope: 'col', class: 'recommended', text: `${S.recommended}: ${r.recommendedPlan}` }));
  table.append(head);
  const priceRow = el('tr', {}, el('th', { scope: 'row', text: S.price }), el('td', { text: priceText(r.currentPrice) }));
  if (r.recommendedPlan) priceRow.append(el('td', { 'data-role': 'recommended-price', text: priceText(r.recommendedPrice) }));
  table.append(priceRow);
  for (const x of r.reasons) {
    const row = el('tr', { 'data-metric': x.metric }, el('th', { scope: 'row', text: S.projectedRow(x.metric) + ` ${fmt(x.projected)}` }),
      el('td', { class: x.fits ? '' : 'short', text: x.currentLimit === null ? S.unlimited : fmt(x.currentLimit) }));
    if (r.recommendedPlan) row.append(el('td', { text: x.recommendedLimit === null ? S.unlimited : fmt(x.recommendedLimit) }));
    table.append(row);
  }
  $('upgrade-note').textContent = r.action === 'stay' ? S.upgradeStay : r.action === 'none' ? S.upgradeNone : '';
  const link = $('upgrade-link');
  if (r.upgradeUrl) {
    link.href = r.upgradeUrl; link.textContent = S.upgradeLink; link.hidden = false;
  } else {
    link.hidden = true;
    if (r.action === 'upgrade') $('upgrade-note').textContent = S.upgradeNoLink;
  }
}

function trailingAverage(values, i) {
  const from = Math.max(0, i - 6);
  const slice = values.slice(from, i + 1);
  return Math.round((slice.reduce((a, b) => a + b, 0) / slice.length) * 100) / 100;
}

function renderTrend() {
  if (!analytics) return;
  const select = $('trend-metric');
  if (select.options.length !== analytics.metrics.length) {
    select.replaceChildren(...analytics.metrics.map((m) => el('option', { value: m.metric, text: m.metric })));
  }
  const m = analytics.metrics.find((x) => x.metric === select.value) ?? analytics.metrics[0];
  if (!m) return;
  const labels = m.series.map((d) => d.day.slice(5));
  const daily = m.series.map((d) => d.granted - d.refunded);
  const average = daily.map((_, i) => trailingAverage(daily, i));
  const ahead = m.resetsAt ? Math.min(14, Math.max(0, Math.ceil((Date.parse(m.resetsAt) - Date.now()) / 86400000))) : 7;
  const future = [];
  const today = Date.parse(`${analytics.to}T00:00:00Z`);
  for (let i = 1; i <= ahead; i++) future.push(new Date(today + i * 86400000).toISOString().slice(5, 10));
  const projection = [...daily.map(() => null), ...future.map(() => m.average7 ?? 0)];
  projection[daily.length - 1] = m.average7 ?? 0;
  const data = {
    labels: [...labels, ...future],
    datasets: [
      { type: 'bar', label: S.chartDaily, data: daily, backgroundColor: '#3b6fd8' },
      { type: 'line', label: S.chartAverage, data: average, borderColor: '#1b1b1b', pointRadius: 0, tension: 0.2 },
      { type: 'line', label: S.chartProjection, data: projection, borderColor: '#b04a00', borderDash: [6, 4], pointRadius: 0 },
    ],
  };
  const canvas = $('chart');
  canvas.setAttribute('aria-label', S.chartLabel(m.metric));
  if (window.Chart) {
    if (chart) { chart.data = data; chart.update('none'); } else {
      chart = new window.Chart(canvas, { data, options: { animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } } });
    }
  }
  const dl = $('forecast');
  dl.replaceChildren();
  const add = (term, value, role) => dl.append(el('div', { class: 'fact' }, el('dt', { text: term }), el('dd', { 'data-role': role, text: value })));
  add(S.daysUntilLimit, m.limit === null ? S.unlimited : m.daysUntilLimit === null ? S.daysUntilLimitNone : fmt(m.daysUntilLimit), 'days-until-limit');
  add(S.dailyBudget, m.dailyBudget === null ? S.na : fmt(m.dailyBudget), 'daily-budget');
  add(S.average, m.average7 === null ? S.na : fmt(m.average7), 'average');
  add(S.trend, S.trends[m.trend], 'trend');
  add(S.projected, fmt(m.projected), 'projected');
  if (!m.enoughData) dl.append(el('p', { class: 'muted small', text: S.notEnoughData }));
}

async function refresh() {
  // One refresh at a time; a message that arrives meanwhile asks for one more.
  if (running) { again = true; return; }
  running = true;
  clearTimeout(timer);
  let stop = false;
  try {
    const usage = await api(`/v1/subjects/${encodeURIComponent(auth.subject)}/usage`);
    const text = JSON.stringify(usage);
    const changed = text !== lastUsage;
    if (changed || Date.now() - forecastAt > FORECAST_EVERY_MS) {
      forecastAt = Date.now();
      [analytics, recommendation] = await Promise.all([
        api(`/v1/subjects/${encodeURIComponent(auth.subject)}/analytics?days=30`),
        api(`/v1/subjects/${encodeURIComponent(auth.subject)}/recommendation`),
      ]);
      renderTrend();
    }
    if (changed) {
      lastUsage = text;
      $('plan').textContent = S.plan(usage.plan);
      renderMetrics(usage);
      renderBanners(usage);
    }
    renderRecommendation(usage);
    $('error').hidden = true;
    document.body.dataset.loaded = 'true';
  } catch (e) {
    $('error').textContent = e.expired ? S.expired : S.failed;
    $('error').hidden = false;
    stop = Boolean(e.expired);
  } finally {
    running = false;
  }
  if (stop) return;
  if (again) { again = false; refresh(); return; }
  timer = setTimeout(refresh, streaming ? STREAM_POLL_MS : POLL_MS);
}

/**
 * Follows GET /v1/stream (Server-Sent Events of this subject's messages) with fetch, which can
 * send the token in the Authorization header (EventSource cannot, and the token must not travel
 * in a query string). Each message re-reads the usage; without the stream the page polls.
 */
async function follow() {
  try {
    const r = await fetch('/v1/stream', { headers: { Authorization: `Bearer ${auth.token}`, Accept: 'text/event-stream' } });
    if (!r.ok || !r.body) throw new Error(String(r.status));
    streaming = true;
    $('live').textContent = S.live;
    document.body.dataset.stream = 'open';
    await readEvents(r, () => refresh());
  } catch {
    // Falls back to polling below.
  }
  streaming = false;
  document.body.dataset.stream = 'closed';
  $('live').textContent = S.polling;
  if (Date.now() < auth.expiresAt) setTimeout(follow, 3000);
}

function start() {
  document.title = S.title;
  $('title').textContent = S.title;
  $('trend-title').textContent = S.trendTitle;
  $('trend-metric-label').textContent = S.trendMetric;
  $('upgrade-open').textContent = S.upgradeOpen;
  $('upgrade-close').textContent = S.close;
  $('live').textContent = S.polling;
  $('trend-metric').addEventListener('change', renderTrend);
  $('upgrade-open').addEventListener('click', () => $('upgrade').showModal());
  $('upgrade-close').addEventListener('click', () => $('upgrade').close());
  if (!auth) {
    $('error').textContent = S.noToken;
    $('error').hidden = false;
    return;
  }
  refresh();
  follow();
}

start();
