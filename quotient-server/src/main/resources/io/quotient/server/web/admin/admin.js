// The admin dashboard: one module, no framework. Signed in by a session cookie (POST /v1/session);
// every write carries the session's CSRF token. Views: the overview (#) and a subject (#subject=id).
import { STRINGS as S } from '/admin/strings.js';
import { readEvents } from '/shared/sse.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 15000;
let session = null;
let feedAbort = null;
let timer = null;
const charts = {};

/** A problem answer as an error: status, detail. */
class Refused extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrfToken;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin', cache: 'no-store' });
  if (r.status === 401 && path !== '/v1/session') { showSignIn(); throw new Refused(401, 'signed out'); }
  if (!r.ok) {
    let detail = S.failed(r.status);
    try { detail = (await r.json()).detail || detail; } catch { /* not JSON */ }
    throw new Refused(r.status, detail);
  }
  return r.status === 204 ? null : r.json();
}

const fmt = (n) => (n === null || n === undefined ? S.none : typeof n === 'number' ? n.toLocaleString() : String(n));
// Compact and unambiguous in a table: ISO date and minute, UTC.
const when = (iso) => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') : S.none);
const severity = (p) => (p === null || p === undefined ? '' : p >= 100 ? 'exceeded' : p >= 95 ? 'critical' : p >= 80 ? 'warning' : '');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** Fills a table: columns [{label, num?}], rows of cells (strings or nodes; {v, cls} for a class). */
function table(id, columns, rows, empty) {
  const t = $(id);
  t.replaceChildren();
  if (rows.length === 0) { t.append(el('caption', { class: 'muted small', text: empty || S.none })); return; }
  t.append(el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : '', text: c.label })))));
  t.append(el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell, i) => {
    const td = el('td', { class: columns[i].num ? 'num' : '' });
    if (cell && typeof cell === 'object' && 'v' in cell) { td.className += ' ' + (cell.cls || ''); td.append(fmt(cell.v)); }
    else td.append(cell instanceof Node ? cell : fmt(cell));
    return td;
  })))));
}

const subjectLink = (id) => el('a', { href: '#subject=' + encodeURIComponent(id), text: id });
const C = S.cols;

function showError(message) { $('error').textContent = message; $('error').hidden = !message; $('error').className = 'error'; }
function showNotice(message) { $('error').textContent = message; $('error').hidden = false; $('error').className = 'notice'; }

function showSignIn() {
  session = null;
  stopFeed();
  clearTimeout(timer);
  for (const id of ['overview', 'subject', 'nav']) $(id).hidden = true;
  $('sign-in').hidden = false;
  document.body.dataset.view = 'sign-in';
  $('key').focus();
}

async function signIn(event) {
  event.preventDefault();
  try {
    session = await api('POST', '/v1/session', { key: $('key').value.trim() });
    $('key').value = '';
    showError('');
    enter();
  } catch (e) {
    showError(S.signInFailed(e.message));
  }
}

async function signOut() {
  try { await api('DELETE', '/v1/session'); } catch { /* ended already */ }
  showSignIn();
}

function enter() {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('who').textContent = S.signedInAs(session.keyName, session.role);
  document.body.dataset.role = session.role;
  // A read key's session keeps the buttons: the server refuses its changes, and the page says so.
  $('read-only').hidden = session.role !== 'read';
  $('read-only').textContent = S.readOnly;
  startFeed();
  route();
}

function route() {
  if (!session) return;
  clearTimeout(timer);
  showError('');
  const id = new URLSearchParams(location.hash.replace(/^#/, '')).get('subject');
  $('overview').hidden = !!id;
  $('subject').hidden = !id;
  const load = id ? () => loadSubject(id) : loadOverview;
  const tick = async () => { await load(); timer = setTimeout(tick, REFRESH_MS); };
  tick();
}

// ---- Overview -------------------------------------------------------------------------------

async function part(name, work) {
  try { await work(); } catch (e) { if (e.status !== 401) $(name).replaceChildren(el('p', { class: 'error', text: e.message })); }
}

async function loadOverview() {
  document.body.dataset.view = 'overview';
  await Promise.all([
    part('near', async () => {
      const page = await api('GET', '/v1/analytics/near-limit?min=80&limit=20');
      table('near', [{ label: C.subject }, { label: C.metric }, { label: C.used, num: true }, { label: C.limit, num: true }, { label: C.percent, num: true }, { label: C.resets }],
        page.items.map((i) => [subjectLink(i.subject), i.metric, i.used, i.limit, { v: i.percent, cls: severity(i.percent) }, when(i.resetsAt)]));
    }),
    part('denials-total', async () => {
      const rates = await api('GET', '/v1/analytics/denials?hours=24');
      const denials = rates.hours.reduce((a, h) => a + h.denials, 0);
      const decisions = rates.hours.reduce((a, h) => a + h.decisions, 0);
      $('denials-total').textContent = S.denialsTotal(denials.toLocaleString(), decisions.toLocaleString());
      $('denials-total').dataset.denials = denials;
      draw('denials-chart', 'line', rates.hours.map((h) => new Date(h.hour).toISOString().slice(11, 16)),
        rates.hours.map((h) => Math.round(h.rate * 1000) / 10), S.denialRate);
    }),
    part('plans', loadPlans),
    part('alerts', async () => {
      const [alerts, rules] = await Promise.all([api('GET', '/v1/alerts?state=firing'), api('GET', '/v1/alert-rules')]);
      table('alerts', [{ label: C.subject }, { label: C.metric }, { label: C.level }, { label: C.threshold, num: true }, { label: C.used, num: true }, { label: C.since }],
        alerts.alerts.map((a) => [subjectLink(a.subject), a.metric, { v: a.level, cls: a.level }, a.threshold + '%', `${fmt(a.used)} / ${fmt(a.limit)}`, when(a.triggeredAt)]), S.noAlerts);
      table('rules', [{ label: C.name }, { label: C.plan }, { label: C.metric }, { label: C.thresholds }],
        rules.rules.map((r) => [r.name, r.plan || '*', r.metric || '*', r.thresholds.map((t) => t + '%').join(', ')]),
        `${C.thresholds}: ${rules.defaultThresholds.map((t) => t + '%').join(', ')}`);
    }),
    part('risk', async () => {
      try {
        const risk = await api('GET', '/v1/risk?limit=10');
        renderRisk('risk', risk);
      } catch (e) {
        if (e.status === 404) $('risk').replaceChildren(el('p', { class: 'muted', text: S.riskUnavailable })); else throw e;
      }
    }),
  ]);
}

let plans = [];
async function loadPlans() {
  plans = (await api('GET', '/v1/plans')).plans;
  table('plans', [{ label: C.name }, { label: C.limits }, { label: C.price }],
    plans.map((p) => [p.name, Object.entries(p.limits).map(([m, l]) => `${m}: ${l.limit === null ? S.unlimited : fmt(l.limit)}/${l.period}`).join('; '),
      p.price ? `${p.price.amount} ${p.price.currency}/${p.price.per}` : S.none]));
  const metrics = [...new Set(plans.flatMap((p) => Object.keys(p.limits)))].sort();
  const select = $('dist-metric');
  const chosen = select.value || metrics[0];
  select.replaceChildren(...metrics.map((m) => el('option', { value: m, text: m })));
  if (chosen) { select.value = chosen; await loadDistribution(); }
}

async function loadDistribution() {
  const metric = $('dist-metric').value;
  if (!metric) return;
  const d = await api('GET', '/v1/analytics/distribution?metric=' + encodeURIComponent(metric));
  draw('dist-chart', 'bar', d.bands.map((b) => (b.to === null ? `${b.from}%+` : `${b.from}–${b.to}%`)), d.bands.map((b) => b.subjects), S.subjects);
  $('dist-chart').dataset.subjects = d.subjects;
}

function draw(id, type, labels, data, label) {
  const canvas = $(id);
  canvas.setAttribute('aria-label', `${label}: ${labels.map((l, i) => `${l} ${data[i]}`).join(', ')}`);
  if (typeof Chart === 'undefined') return;
  if (charts[id]) { charts[id].data.labels = labels; charts[id].data.datasets[0].data = data; charts[id].update('none'); return; }
  charts[id] = new Chart(canvas, { type, data: { labels, datasets: [{ label, data, borderColor: '#2851a3', backgroundColor: 'rgba(40,81,163,0.55)', tension: 0.2 }] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } } });
}

/** Risk answers are drawn defensively: a list of subjects with a score and their signals. */
function renderRisk(id, risk) {
  const items = Array.isArray(risk) ? risk : risk.subjects || risk.items || (risk.signals ? [risk] : []);
  if (items.length === 0) { $(id).replaceChildren(el('p', { class: 'muted', text: S.noRisk })); return; }
  const t = el('table', { id: id + '-table' });
  $(id).replaceChildren(t);
  table(id + '-table', [{ label: C.subject }, { label: C.score, num: true }, { label: C.signals }],
    items.map((r) => [r.subject ? subjectLink(r.subject) : S.none, r.band ? `${r.score} (${r.band})` : r.score,
      (r.signals || []).map((s) => (typeof s === 'string' ? s : `${s.signal || s.name || s.type} ${s.score ?? ''}`.trim())).join(', ') || S.none]));
}

// ---- Live feed ------------------------------------------------------------------------------

function stopFeed() { if (feedAbort) feedAbort.abort(); feedAbort = null; }

/** Follows GET /v1/stream (the cookie goes with it) and lists the newest messages first. */
async function startFeed() {
  stopFeed();
  const controller = new AbortController();
  feedAbort = controller;
  try {
    const r = await fetch('/v1/stream', { headers: { Accept: 'text/event-stream' }, credentials: 'same-origin', signal: controller.signal });
    if (!r.ok || !r.body) throw new Error(String(r.status));
    $('feed-state').textContent = S.feedLive;
    document.body.dataset.stream = 'open';
    await readEvents(r, (message) => { if (message.type && message.data) addFeed(message.type, message.data); });
  } catch { /* aborted or down: retried below */ }
  document.body.dataset.stream = 'closed';
  if (feedAbort === controller && session) { $('feed-state').textContent = S.feedDown; setTimeout(startFeed, 3000); }
}

function addFeed(type, data) {
  let m = {};
  try { m = JSON.parse(data); } catch { /* shown raw */ }
  const d = m.data && typeof m.data === 'object' ? m.data : m;
  const subject = d.subject || m.subject || '';
  const items = (Array.isArray(d.items) ? d.items : []).map((i) => `${i.metric} ${i.amount}`).join(', ');
  const li = el('li', {}, el('time', { class: 'muted', text: new Date().toISOString().slice(11, 19) + ' ' }), type + ' ',
    subject ? subjectLink(subject) : null, items ? ' ' + items : '');
  const feed = $('feed');
  feed.prepend(li);
  while (feed.children.length > 100) feed.lastChild.remove();
}

// ---- Subject --------------------------------------------------------------------------------

let current = null;
async function loadSubject(id) {
  document.body.dataset.view = 'subject';
  $('subject-title').textContent = S.subjectTitle(id);
  const enc = encodeURIComponent(id);
  try {
    const usage = await api('GET', `/v1/subjects/${enc}/usage`);
    current = { id, usage };
    $('subject-plan').textContent = S.subjectPlan(usage.plan);
    table('s-usage', [{ label: C.metric }, { label: C.used, num: true }, { label: C.limit, num: true }, { label: C.remaining, num: true }, { label: C.percent, num: true }, { label: C.resets }],
      usage.metrics.map((m) => [m.metric, m.used, m.limit === null ? S.unlimited : m.limit, m.remaining, { v: m.percentUsed, cls: severity(m.percentUsed) }, when(m.resetsAt)]));
  } catch (e) {
    if (e.status !== 401) showError(e.message);
    return;
  }
  await Promise.all([
    part('s-analytics', async () => {
      const a = await api('GET', `/v1/subjects/${enc}/analytics?days=30`);
      table('s-analytics', [{ label: C.metric }, { label: C.trend }, { label: C.average, num: true }, { label: C.projected, num: true }, { label: C.daysUntilLimit, num: true }, { label: C.dailyBudget, num: true }],
        a.metrics.map((m) => [m.metric, m.trend, m.average7 === null ? null : Math.round(m.average7 * 10) / 10, m.projected, m.daysUntilLimit, m.dailyBudget === null ? null : Math.floor(m.dailyBudget)]));
    }),
    part('s-grants', async () => {
      const g = await api('GET', `/v1/subjects/${enc}/grants`);
      table('s-grants', [{ label: C.metric }, { label: C.amount, num: true }, { label: C.remaining, num: true }, { label: C.expires }, { label: C.reason }],
        g.grants.map((x) => [x.metric, x.amount, x.remaining, when(x.expiresAt), x.reason]), S.noGrants);
    }),
    part('s-events', async () => {
      const page = await api('GET', `/v1/events?subject=${enc}&limit=100`);
      const events = page.events.slice(-20).reverse();
      table('s-events', [{ label: C.at }, { label: C.type }, { label: C.allowed }, { label: C.metric }, { label: C.reason }],
        events.map((e) => [when(e.at), e.type, e.allowed === null ? null : String(e.allowed), (e.items || []).map((i) => `${i.metric} ${i.amount}`).join(', '), e.reason]));
    }),
    part('s-risk', async () => {
      try {
        renderRisk('s-risk', await api('GET', `/v1/subjects/${enc}/risk`));
      } catch (e) {
        if (e.status === 404) $('s-risk').replaceChildren(el('p', { class: 'muted', text: S.riskUnavailable })); else throw e;
      }
    }),
  ]);
}

// ---- Actions, each confirmed in a dialog ----------------------------------------------------

function field(label, input) {
  const id = 'f-' + Math.random().toString(36).slice(2);
  input.id = id;
  return [el('label', { for: id, text: label }), input];
}

/** Opens the dialog; resolves with the fields' values when confirmed, null when cancelled. */
function ask(title, fields, confirmText) {
  return new Promise((resolve) => {
    const dialog = $('dialog');
    $('dialog-title').textContent = title;
    $('dialog-fields').replaceChildren(...fields.flat());
    const inputs = fields.map((f) => f[1]);
    const describe = () => { $('dialog-confirm').textContent = confirmText(...inputs.map((i) => i.value)); };
    inputs.forEach((i) => i.addEventListener('input', describe));
    describe();
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? inputs.map((i) => i.value) : null), { once: true });
    dialog.showModal();
    (inputs[0] || $('dialog-ok')).focus();
  });
}

async function act(work) {
  try {
    await work();
    showNotice(S.done);
  } catch (e) {
    if (e.status !== 401) showError(S.refused(e.status, e.message));
  }
  if (current) loadSubject(current.id);
}

function metricSelect(withAll) {
  const s = el('select');
  if (withAll) s.append(el('option', { value: '', text: S.allMetrics }));
  for (const m of current.usage.metrics) s.append(el('option', { value: m.metric, text: m.metric }));
  return s;
}

async function changePlan() {
  if (!plans.length) await loadPlans();
  const select = el('select');
  for (const p of plans) select.append(el('option', { value: p.name, text: p.name }));
  select.value = current.usage.plan;
  const values = await ask(S.changePlan, [field(S.newPlan, select)], (plan) => S.confirmPlan(current.id, plan));
  if (values) await act(() => api('PUT', `/v1/subjects/${encodeURIComponent(current.id)}`, { plan: values[0] }));
}

async function addGrant() {
  const amount = el('input', { type: 'number', min: '1', step: '1', value: '100', required: '' });
  const reason = el('input', { type: 'text', maxlength: '200' });
  const values = await ask(S.addGrant, [field(S.grantMetric, metricSelect(false)), field(S.grantAmount, amount), field(S.grantReason, reason)],
    (metric, n) => S.confirmGrant(current.id, n, metric));
  if (values) {
    const body = { metric: values[0], amount: Number(values[1]) };
    if (values[2]) body.reason = values[2];
    await act(() => api('POST', `/v1/subjects/${encodeURIComponent(current.id)}/grants`, body));
  }
}

async function resetWindow() {
  const values = await ask(S.reset, [field(S.resetMetric, metricSelect(true))], (metric) => S.confirmReset(current.id, metric || S.allMetrics));
  if (values) await act(() => api('POST', `/v1/subjects/${encodeURIComponent(current.id)}/reset`, values[0] ? { metric: values[0] } : {}));
}

// ---- Start ----------------------------------------------------------------------------------

function texts() {
  const set = { title: S.title, 'nav-overview': S.overview, 'sign-out': S.signOut, 'sign-in-title': S.signInTitle, 'key-label': S.keyLabel,
    'key-hint': S.keyHint, 'sign-in-button': S.signIn, 'feed-title': S.feed, 'near-title': S.nearLimit, 'denials-title': S.denials,
    'dist-title': S.distribution, 'dist-metric-label': S.distributionMetric, 'alerts-title': S.alerts, 'rules-title': S.rules,
    'risk-title': S.risk, 'plans-title': S.plans, 'find-title': S.find, 'find-label': S.findLabel, 'find-button': S.open,
    'act-plan': S.changePlan, 'act-grant': S.addGrant, 'act-reset': S.reset, 's-usage-title': S.usage, 's-analytics-title': S.analytics,
    's-grants-title': S.grants, 's-risk-title': S.risk, 's-events-title': S.events, 'dialog-ok': S.confirm, 'dialog-cancel': S.cancel };
  for (const [id, text] of Object.entries(set)) $(id).textContent = text;
  document.title = S.title;
}

async function start() {
  texts();
  $('sign-in').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('dist-metric').addEventListener('change', () => loadDistribution().catch((e) => showError(e.message)));
  $('find').addEventListener('submit', (e) => { e.preventDefault(); location.hash = 'subject=' + encodeURIComponent($('find-id').value.trim()); });
  $('act-plan').addEventListener('click', changePlan);
  $('act-grant').addEventListener('click', addGrant);
  $('act-reset').addEventListener('click', resetWindow);
  window.addEventListener('hashchange', route);
  try {
    session = await api('GET', '/v1/session');
    enter();
  } catch {
    showSignIn();
  }
}

start();
