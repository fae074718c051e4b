// The learner player: one island over the server-rendered card. It moves between cards
// (card endpoint online, the bundle offline), checks answers through the tracking adapter,
// keeps focus and announcements right for keyboard and screen-reader users, and registers
// the service worker that keeps the path readable offline. Host-agnostic: all tracking goes
// through the adapter (adapters.js); this file never calls the server for progress itself.
import { WebAdapter } from "./adapter-web.js";

const props = JSON.parse(document.getElementById("player-props").textContent);
// A card's key is "<module slug>.<n>" (player/bundle.py): the order follows from the modules.
props.order = props.modules.flatMap((m) => m.seconds.map((_, i) => `${m.slug}.${i + 1}`));
const seconds = props.modules.flatMap((m) => m.seconds);
const S = props.strings;
// An exported package (SCORM, cmi5) names its host adapter; it may move the start card.
const hosted = Boolean(props.host);
const adapter = hosted
  ? await (await import(props.host.adapter)).createAdapter(props)
  : new WebAdapter({ urls: props.urls, enrolment: props.enrolment, csrf: csrfToken() });
const $ = (sel, root = document) => root.querySelector(sel);
const article = $("#player-card");
const order = props.order;
const seen = new Set(props.progress.seen);
const optional = new Set(props.progress.optional);
const answers = props.progress.answers || {};
const posKey = `ancrage.pos.${props.enrolment}`;
/** @type {Map<string, any>} */
const cards = new Map();
let current = props.card;
let target = current; // where the learner asked to go: quick taps chain from it
let bundle = null;

function csrfToken() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}
const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => String(values[k]));
const cardUrl = (key) => props.urls.card.replace("KEY", encodeURIComponent(key));
const moduleOf = (key) => key.slice(0, key.lastIndexOf("."));

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

async function loadBundle() {
  if (bundle) return bundle;
  const res = await fetch(props.urls.bundle, { credentials: "same-origin" });
  if (!res.ok) throw new Error(String(res.status));
  bundle = await res.json();
  for (const card of bundle.cards) cards.set(card.key, card);
  return bundle;
}

async function fetchCard(key) {
  if (props.urls.card) try {
    const res = await fetch(cardUrl(key), { credentials: "same-origin" });
    if (res.ok && (res.headers.get("Content-Type") || "").includes("json")) return (await res.json()).card;
    if (res.status === 403) { location.href = props.urls.page; throw new Error("refused"); }
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  if (!cards.has(key)) await loadBundle();
  return cards.get(key);
}

function updateMeta() {
  const index = order.indexOf(current);
  const slug = moduleOf(current);
  const mIndex = props.modules.findIndex((m) => m.slug === slug);
  $("[data-module]").textContent = `${fmt(S.moduleOf, { n: mIndex + 1, total: props.modules.length })} · ${props.modules[mIndex].title}`;
  $("[data-count]").textContent = fmt(S.cardOf, { n: index + 1, total: order.length });
  const left = order.reduce((sum, k, i) =>
    sum + (seen.has(k) || optional.has(moduleOf(k)) ? 0 : seconds[i]), 0);
  $("[data-left]").textContent = fmt(S.minutesLeft, { n: Math.ceil(left / 60) });
  const bar = $("[data-bar]");
  bar.value = seen.size;
  $("[data-optional]").hidden = !optional.has(slug);
  const prev = $('[data-nav="previous"]');
  const next = $('[data-nav="next"], [data-nav="end"]');
  if (prev) prev.hidden = index === 0;
  if (prev && index > 0) prev.href = `?card=${encodeURIComponent(order[index - 1])}`;
  if (index + 1 < order.length) {
    next.href = `?card=${encodeURIComponent(order[index + 1])}`;
    next.dataset.nav = "next";
    next.textContent = next.dataset.nextLabel || next.textContent;
  } else {
    next.dataset.nextLabel = next.dataset.nextLabel || next.textContent;
    next.href = props.urls.end;
    next.dataset.nav = "end";
    next.textContent = props.finishLabel;
  }
  const share = $("[data-share]"); // « Partager un enseignement » follows the current card
  if (share) { const url = new URL(share.href); url.searchParams.set("card", current); share.href = url.href; }
}

/** @param {string} key @param {"push"|"replace"|"none"} mode how the address bar follows */
async function go(key, mode = "push") {
  if (!order.includes(key)) return;
  target = key;
  let card = null;
  try {
    card = await fetchCard(key);
  } catch {
    status(S.error);
    return;
  }
  if (target !== key) return; // the learner moved on meanwhile
  if (!card) { status(S.offline); return; }
  current = key;
  article.innerHTML = card.html;
  article.dataset.key = key;
  article.dataset.type = card.type;
  const heading = $(".card-title", article);
  article.setAttribute("aria-labelledby", heading.id);
  if (mode !== "none" && !hosted) history[mode === "push" ? "pushState" : "replaceState"]({ card: key }, "", `?card=${encodeURIComponent(key)}`);
  document.title = `${card.title} · ${document.title.split(" · ").slice(1).join(" · ")}`;
  viewed(key);
  enhance();
  updateMeta();
  heading.focus();
}

function viewed(key) {
  seen.add(key);
  try { localStorage.setItem(posKey, JSON.stringify({ card: key, at: new Date().toISOString() })); } catch { /* disabled */ }
  adapter.cardViewed(key);
}

function status(text) { $("[data-sync]").textContent = text; }

function renderOutcome(box, outcome) {
  box.replaceChildren();
  if (outcome === null) { box.append(el("p", {}, S.savedOffline)); return; }
  if (outcome.type === "quiz") {
    const line = outcome.correct ? S.correct : outcome.score > 0 ? S.partial : S.incorrect;
    box.append(el("p", { class: outcome.correct ? "verdict ok" : "verdict ko" }, line));
    const list = el("ul", { class: "feedback-list" });
    for (const item of outcome.feedback) list.append(el("li", {}, item.text));
    box.append(list);
    if (outcome.explanation) box.append(el("p", {}, outcome.explanation));
  } else if (outcome.type === "scenario") {
    const line = outcome.best ? S.best : outcome.score === 1 ? S.acceptable : S.poor;
    box.append(el("p", { class: outcome.best ? "verdict ok" : "verdict ko" }, line));
    box.append(el("p", {}, outcome.consequence));
  } else {
    box.append(el("p", { class: "verdict ok" }, S.saved));
  }
}

function enhance() {
  const printButton = $("[data-print]", article);
  if (printButton) { printButton.hidden = false; printButton.addEventListener("click", () => print()); }
  const form = $("form[data-answer]", article);
  if (!form) return;
  const key = form.dataset.key;
  const textarea = $("textarea", form);
  if (textarea && answers[key]) textarea.value = answers[key].text || "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $(".feedback", form);
    const kind = form.dataset.answer;
    let response;
    if (kind === "text") {
      if (!textarea.value.trim()) { box.textContent = S.write; textarea.focus(); return; }
      response = { text: textarea.value };
    } else {
      const picked = [...form.querySelectorAll("input[name=choice]:checked")].map((i) => Number(i.value));
      if (!picked.length) { box.textContent = S.choose; return; }
      response = kind === "quiz" ? { choices: picked } : { choice: picked[0] };
    }
    const button = $("button[type=submit]", form);
    button.disabled = true;
    try {
      const outcome = await adapter.answered(key, response);
      if (kind === "text") answers[key] = response;
      renderOutcome(box, outcome);
      if (outcome && outcome.path_completed) status(S.synced);
    } catch (error) {
      box.textContent = error.message || S.error;
    } finally {
      button.disabled = false;
    }
  });
}

function onNav(event) {
  const link = event.target.closest("[data-nav]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  const index = order.indexOf(target);
  if (link.dataset.nav === "end" && hosted) {
    adapter.finish().then((text) => status(text));
    return;
  }
  if (link.dataset.nav === "end") {
    adapter.flush().then(() => { location.href = props.urls.end; });
    return;
  }
  const next = order[index + (link.dataset.nav === "next" ? 1 : -1)];
  if (next) go(next); else location.href = props.urls.end;
}

function onKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest("input, textarea, select, button, summary, video, a")) return;
  const index = order.indexOf(target);
  if (event.key === "ArrowRight" && index + 1 < order.length) go(order[index + 1]);
  if (event.key === "ArrowLeft" && index > 0) go(order[index - 1]);
}

function leave() {
  adapter.suspend(current, {});
}

function warmOffline() {
  loadBundle().then((b) => {
    const media = b.cards.flatMap((c) => c.media);
    return Promise.all(media.map((url) => fetch(url, { credentials: "same-origin" }).catch(() => null)));
  }).catch(() => null);
}

function start() {
  props.finishLabel = props.strings.finish;
  if (hosted && adapter.blocked) { // no LMS, or the licence ended: say so politely, play nothing
    const message = $("[data-host-message]");
    message.textContent = adapter.blocked;
    message.hidden = false;
    article.hidden = true;
    $(".player-nav").hidden = true;
    return;
  }
  adapter.onStatus((s) => status(s === "offline" ? S.offline : s === "synced" ? "" : ""));
  document.addEventListener("click", onNav);
  document.addEventListener("keydown", onKey);
  addEventListener("popstate", (event) => { if (event.state && event.state.card) go(event.state.card, "none"); });
  addEventListener("pagehide", leave);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") leave(); });
  history.replaceState({ card: current }, "");
  adapter.started(current);
  // Resume: this device may know a later card than the server (not yet sent).
  if (hosted) { go(current, "none"); return; }
  let local = null;
  try { local = JSON.parse(localStorage.getItem(posKey) || "null"); } catch { /* ignore */ }
  const asked = new URLSearchParams(location.search).get("card");
  if (asked && asked !== current && order.includes(asked)) {
    go(asked, "replace"); // an offline reload of a page cached for another card
  } else if (!asked && local && local.card !== current && order.includes(local.card)
      && (!props.progress.position_at || Date.parse(local.at) > Date.parse(props.progress.position_at))) {
    go(local.card, "replace");
  } else {
    viewed(current);
    enhance();
    updateMeta();
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(props.urls.sw, { scope: "/play/" }).catch(() => null);
  }
  // Idle time may never come on a busy phone: cache the path's media within 2 s anyway.
  if (window.requestIdleCallback) requestIdleCallback(warmOffline, { timeout: 2000 });
  else setTimeout(warmOffline, 500);
}

start();
