// What every LMS host adapter shares (SCORM 1.2, SCORM 2004, cmi5): the package plays
// offline from its own bundle, so answers are scored here, progress is kept here and saved
// to the host through a subclass (`open`, `writeViewed`, `writeAnswer`, `writeProgress`,
// `commit`, `terminate`). Optional (off by default): a licence check and xAPI events to
// Ancrage, with the package's signed token (docs/exports.md). A refused licence shows the
// polite licence message; the LMS session still opens and closes normally.
import { newId } from "./adapters.js";

function search(start, name) {
  let win = start;
  for (let depth = 0; win && depth < 500; depth++) {
    try { if (win[name]) return win[name]; } catch { /* cross-origin parent */ }
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}

/** The LMS API object `name` ("API" or "API_1484_11") in this window's parents or opener. */
export function findApi(name) {
  const found = search(window, name);
  if (found) return found;
  try { return window.opener ? search(window.opener, name) : null; } catch { return null; }
}

const B36 = (n) => n.toString(36).padStart(2, "0");

/** @implements {import("./adapters.js").TrackingAdapter} */
export class HostAdapter {
  constructor(props) {
    this.props = props;
    this.S = props.strings;
    this.mastery = props.host.mastery;
    /** @type {Map<string, any>} */
    this.cards = new Map();
    this.order = props.order;
    this.seen = new Set();
    /** @type {Object<string, number>} best score per quiz */
    this.best = {};
    this.answeredText = new Set();
    this.position = props.card;
    this.startedAt = Date.now();
    this.blocked = "";
    this.closed = false;
    this.learner = "";
    this.reportQueue = [];
    addEventListener("pagehide", () => this.close());
  }

  async init() {
    const res = await fetch(this.props.urls.bundle);
    const bundle = await res.json();
    for (const card of bundle.cards) this.cards.set(card.key, card);
    this.quizKeys = this.order.filter((k) => this.cards.get(k).type === "quiz");
    const saved = await this.open();
    if (saved === null) { this.blocked = this.S.noLms; return this; }
    this.restore(saved.suspend || "");
    if (saved.location && this.order.includes(saved.location)) this.position = saved.location;
    this.props.card = this.position;
    this.props.progress.seen = [...this.seen];
    await this.checkLicence();
    return this;
  }

  async checkLicence() {
    const report = this.props.host.report;
    if (!report) return;
    try {
      const res = await fetch(`${report.url}licence`, { credentials: "omit" });
      const answer = await res.json();
      if (!answer.allowed) { this.blocked = this.S.licence; this.props.host.report = null; }
    } catch {
      this.props.host.report = null; // Ancrage unreachable (closed intranet): play, do not report
    }
  }

  // --- state -----------------------------------------------------------------------------
  /** Compact suspend data: "1|<seen bits, hex>|<best quiz score per quiz, base36 %>|<text bits>". */
  encode() {
    const bits = (set) => {
      let hex = "";
      for (let i = 0; i < this.order.length; i += 4) {
        let nibble = 0;
        for (let j = 0; j < 4; j++) if (set.has(this.order[i + j])) nibble |= 1 << j;
        hex += nibble.toString(16);
      }
      return hex.replace(/0+$/, "");
    };
    const scores = this.quizKeys.map((k) => (k in this.best ? B36(Math.round(this.best[k] * 100)) : "__")).join("");
    return `1|${bits(this.seen)}|${scores.replace(/(__)+$/, "")}|${bits(this.answeredText)}`;
  }

  restore(text) {
    const [version, seen = "", scores = "", texts = ""] = text.split("|");
    if (version !== "1") return;
    const unbits = (hex, set) => {
      for (let i = 0; i < hex.length; i++) {
        const nibble = parseInt(hex[i], 16);
        for (let j = 0; j < 4; j++) if (nibble & (1 << j) && this.order[i * 4 + j]) set.add(this.order[i * 4 + j]);
      }
    };
    unbits(seen, this.seen);
    unbits(texts, this.answeredText);
    this.quizKeys.forEach((key, i) => {
      const part = scores.slice(i * 2, i * 2 + 2);
      if (part.length === 2 && part !== "__") this.best[key] = parseInt(part, 36) / 100;
    });
  }

  progressMeasure() { return this.order.length ? this.seen.size / this.order.length : 1; }
  completed() { return this.order.every((k) => this.seen.has(k)); }
  scaled() {
    if (!this.quizKeys.length) return null;
    return this.quizKeys.reduce((sum, k) => sum + (this.best[k] || 0), 0) / this.quizKeys.length;
  }
  allQuizzesAnswered() { return this.quizKeys.every((k) => k in this.best); }
  /** null: nothing to pass; true/false once every quiz has an answer. */
  passed() {
    if (!this.quizKeys.length || !this.allQuizzesAnswered()) return null;
    return this.scaled() >= this.mastery - 1e-9;
  }
  sessionSeconds() { return (Date.now() - this.startedAt) / 1000; }

  // --- the TrackingAdapter interface -------------------------------------------------------
  started() { this.report("initialized", ""); }
  cardViewed(card) {
    if (this.closed || this.blocked) return;
    this.seen.add(card);
    this.position = card;
    this.writeViewed(card);
    this.report("experienced", card);
    this.save();
  }

  answered(card, response) {
    const data = this.cards.get(card);
    let outcome;
    if (data.type === "quiz") {
      const right = new Set(data.answers.correct);
      const picked = new Set(response.choices);
      const hits = [...picked].filter((i) => right.has(i)).length;
      const misses = picked.size - hits;
      const score = right.size ? Math.max(0, (hits - misses) / right.size) : 0;
      outcome = {
        type: "quiz",
        correct: picked.size === right.size && hits === right.size,
        score: Math.round(score * 10000) / 10000,
        feedback: [...picked].sort((a, b) => a - b).map((i) => ({ choice: i, text: data.answers.feedback[i] })),
        explanation: data.answers.explanation,
      };
      this.best[card] = Math.max(this.best[card] || 0, outcome.score);
    } else if (data.type === "scenario") {
      const score = data.answers.scores[response.choice];
      outcome = { type: "scenario", score, best: score === 2, consequence: data.answers.consequences[response.choice] };
    } else {
      outcome = { type: "text", saved: true };
      this.answeredText.add(card);
    }
    if (!this.closed && !this.blocked) {
      this.writeAnswer(card, data, response, outcome);
      this.report("answered", card, outcome.type === "text" ? {} : { score: outcome.type === "quiz" ? outcome.score : outcome.score / 2, success: outcome.type === "quiz" ? outcome.correct : outcome.best });
      this.save();
    }
    return Promise.resolve(outcome);
  }

  moduleCompleted() {}
  score() {}
  pathCompleted() {}
  suspend(card) {
    if (this.closed || this.blocked) return;
    this.position = card || this.position;
    this.save();
    this.sendReport(true);
  }
  onStatus() {}
  flush() { this.save(); return this.sendReport(false); }

  /** The learner pressed Finish: save, and say where they stand. */
  async finish() {
    await this.flush();
    const passed = this.passed();
    return this.completed() && passed !== false ? `${this.S.endTitle} ${this.S.endPassed}` : this.S.endIncomplete;
  }

  save() {
    if (this.closed || this.blocked) return;
    this.writeProgress();
    this.commit();
  }

  close() {
    if (this.closed) return;
    if (!this.blocked) { this.save(); this.sendReport(true); }
    this.closed = true;
    this.terminate();
  }

  // --- optional xAPI to Ancrage --------------------------------------------------------------
  report(verb, card, extra = {}) {
    if (!this.props.host.report) return;
    this.reportQueue.push({ id: newId(), verb, card, at: new Date().toISOString(), path: this.props.code, ...extra });
  }

  sendReport(leaving) {
    const report = this.props.host.report;
    if (!report || !this.reportQueue.length) return Promise.resolve();
    const events = this.reportQueue.splice(0, 100);
    const body = JSON.stringify({ learner: this.learner || "anonymous", events });
    return fetch(`${report.url}events`, {
      method: "POST", body, keepalive: leaving, credentials: "omit", headers: { "Content-Type": "application/json" },
    }).then((res) => { if (res.status === 403) this.props.host.report = null; }).catch(() => { this.reportQueue.unshift(...events); });
  }

  // --- what subclasses implement ---------------------------------------------------------------
  /** @returns {Promise<{location: string, suspend: string}|null>} null: no LMS */
  async open() { return null; }
  writeViewed() {}
  writeAnswer() {}
  writeProgress() {}
  commit() {}
  terminate() {}
}

/** A letter per choice index for SCORM 1.2 (a, b, c…). */
export const letter = (i) => String.fromCharCode(97 + i);
