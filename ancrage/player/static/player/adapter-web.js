// The web host's tracking adapter: progress to our server, xAPI statements to our LRS.
// Every event gets a UUID when it happens and keeps it until the server acknowledges it, so
// a retry can never count twice (the server answers a known id with "duplicate").
// Events wait in localStorage (one queue per tab, adopted by another tab if its owner went
// away) and are sent on each card, on pagehide / visibilitychange, when the network returns,
// and with exponential backoff after a failure.
import { newId } from "./adapters.js";

const STALE_MS = 30000;
const MAX_BATCH = 100;

/** @implements {import("./adapters.js").TrackingAdapter} */
export class WebAdapter {
  /** @param {{urls: Object<string,string>, enrolment: string, csrf: string}} options */
  constructor(options) {
    this.urls = options.urls;
    this.csrf = options.csrf;
    this.prefix = `ancrage.q.${options.enrolment}.`;
    this.key = this.prefix + newId();
    this.delay = 0;
    this.timer = 0;
    /** @type {Promise<void>|null} */
    this.sending = null;
    /** @type {((status: string) => void)[]} */
    this.listeners = [];
    this.write([]);
    setInterval(() => this.write(this.read(this.key)), STALE_MS / 3);
    addEventListener("online", () => { this.delay = 0; this.flush(); });
    addEventListener("pageshow", (event) => { if (event.persisted) this.write(this.read(this.key)); });
  }

  onStatus(listener) { this.listeners.push(listener); }
  status(value) { for (const l of this.listeners) l(value); }

  read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}").events || []; } catch { return []; }
  }
  write(events, key = this.key) {
    try { localStorage.setItem(key, JSON.stringify({ t: Date.now(), events })); } catch { /* full or disabled */ }
  }
  /** Queues of tabs that went away without sending everything. */
  stale() {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(this.prefix) || key === this.key) continue;
      try {
        if (Date.now() - JSON.parse(localStorage.getItem(key) || "{}").t > STALE_MS) keys.push(key);
      } catch { keys.push(key); }
    }
    return keys;
  }
  pending() {
    return [this.key, ...this.stale()].reduce((n, k) => n + this.read(k).length, 0);
  }

  enqueue(kind, card, extra = {}) {
    const event = { id: newId(), kind, card, at: new Date().toISOString(), ...extra };
    this.write([...this.read(this.key), event]);
    return event;
  }

  started(card) { this.enqueue("started", card); }
  cardViewed(card) { this.enqueue("card_viewed", card); this.flush(); }
  suspend(card, data) {
    this.enqueue("suspend", card, { data });
    this.flush({ keepalive: true });
    // Leaving: let the next page of this learner adopt what may not get through now.
    try { localStorage.setItem(this.key, JSON.stringify({ t: 0, events: this.read(this.key) })); } catch { /* ignore */ }
  }
  // The server derives completions and scores from the cards and answers it recorded.
  moduleCompleted() {}
  pathCompleted() {}
  score() {}

  async answered(card, response) {
    const event = { id: newId(), kind: "answered", card, at: new Date().toISOString(), response };
    await this.flush();
    try {
      const res = await this.post(this.urls.answer, event);
      if (res.ok) return await res.json();
      if (res.status >= 400 && res.status < 500 && res.status !== 403) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.message || String(res.status));
      }
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // TypeError: the network failed
    }
    this.write([...this.read(this.key), event]);
    this.retry();
    return null;
  }

  post(url, body, keepalive = false) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
      body: JSON.stringify(body),
    });
  }

  async refreshToken() {
    try {
      const res = await fetch(this.urls.progress, { credentials: "same-origin" });
      if (res.ok) this.csrf = (await res.json()).csrf;
    } catch { /* offline */ }
  }

  /** Send what is queued; resolves when the attempt ended (never rejects). */
  flush({ keepalive = false } = {}) {
    if (this.sending && !keepalive) return this.sending;
    const attempt = this.send(keepalive).finally(() => { if (this.sending === attempt) this.sending = null; });
    if (!keepalive) this.sending = attempt;
    return attempt;
  }

  async send(keepalive) {
    const keys = [this.key, ...this.stale()];
    const seen = new Set();
    const events = [];
    for (const key of keys) for (const e of this.read(key)) {
      if (!seen.has(e.id) && events.length < MAX_BATCH) { seen.add(e.id); events.push(e); }
    }
    if (!events.length) { this.status("synced"); return; }
    this.status("pending");
    let res;
    try {
      res = await this.post(this.urls.events, { events }, keepalive);
    } catch {
      this.status("offline");
      this.retry();
      return;
    }
    if (res.ok || res.status === 400 || res.status === 409) {
      // Accepted, or refused for good (tampered or invalid): either way, never resend.
      if (!res.ok) console.warn("Ancrage: events refused", res.status, await res.text());
      for (const key of keys) {
        const left = this.read(key).filter((e) => !seen.has(e.id));
        if (key === this.key || left.length) this.write(left, key); else localStorage.removeItem(key);
      }
      this.delay = 0;
      if (this.pending()) return this.send(keepalive);
      this.status("synced");
      return;
    }
    if (res.status === 403) await this.refreshToken();
    this.status(res.status >= 500 ? "offline" : "pending");
    this.retry();
  }

  retry() {
    clearTimeout(this.timer);
    this.delay = Math.min(60000, this.delay ? this.delay * 2 : 1000);
    this.timer = setTimeout(() => this.flush(), this.delay + Math.random() * 250);
  }
}
