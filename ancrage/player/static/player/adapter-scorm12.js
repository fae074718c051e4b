// SCORM 1.2 host adapter: the player's progress in the LMS's `API` object.
// cmi.core.lesson_location = the card, cmi.suspend_data = compact progress (< 4,096
// characters), cmi.core.lesson_status incomplete → passed/failed (completed when the unit
// has no quiz), cmi.core.score (0–100), one cmi.interactions.n per quiz or scenario answer,
// cmi.core.session_time and cmi.core.exit on leaving. LMSCommit on every card and answer,
// LMSFinish on pagehide.
import { HostAdapter, findApi, letter } from "./adapter-host.js";

const pad = (n, size = 2) => String(Math.floor(n)).padStart(size, "0");
/** CMITimespan HHHH:MM:SS.SS */
export function timespan(seconds) {
  const h = Math.min(9999, Math.floor(seconds / 3600));
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${pad(h, 4)}:${pad(m)}:${s.toFixed(2).padStart(5, "0")}`;
}
const clock = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

class Scorm12Adapter extends HostAdapter {
  get(name) { return String(this.api.LMSGetValue(name) ?? ""); }
  set(name, value) { this.api.LMSSetValue(name, String(value)); }

  async open() {
    this.api = findApi("API");
    if (!this.api || String(this.api.LMSInitialize("")) !== "true") return null;
    this.learner = this.get("cmi.core.student_id");
    const status = this.get("cmi.core.lesson_status");
    if (!status || status === "not attempted") this.set("cmi.core.lesson_status", "incomplete");
    return { location: this.get("cmi.core.lesson_location"), suspend: this.get("cmi.suspend_data") };
  }

  writeViewed(card) { this.set("cmi.core.lesson_location", card); }

  writeAnswer(card, data, response, outcome) {
    if (outcome.type === "text") return;
    const n = Number(this.get("cmi.interactions._count")) || 0;
    const at = `cmi.interactions.${n}.`;
    this.set(`${at}id`, `card_${card.replace(/[^A-Za-z0-9_-]/g, "_")}`);
    this.set(`${at}type`, "choice");
    this.set(`${at}time`, clock(new Date()));
    this.set(`${at}weighting`, "1");
    if (outcome.type === "quiz") {
      this.set(`${at}correct_responses.0.pattern`, data.answers.correct.map(letter).join(","));
      this.set(`${at}student_response`, response.choices.map(letter).join(","));
      this.set(`${at}result`, outcome.correct ? "correct" : "wrong");
    } else {
      const bestIndex = data.answers.scores.indexOf(Math.max(...data.answers.scores));
      this.set(`${at}correct_responses.0.pattern`, letter(bestIndex));
      this.set(`${at}student_response`, letter(response.choice));
      this.set(`${at}result`, outcome.best ? "correct" : outcome.score === 1 ? "neutral" : "wrong");
    }
  }

  writeProgress() {
    this.set("cmi.suspend_data", this.encode());
    const scaled = this.scaled();
    if (scaled !== null) {
      this.set("cmi.core.score.min", "0");
      this.set("cmi.core.score.max", "100");
      this.set("cmi.core.score.raw", String(Math.round(scaled * 100)));
    }
    let status = "incomplete";
    if (this.completed()) {
      const passed = this.passed();
      status = passed === null ? "completed" : passed ? "passed" : "failed";
    }
    this.set("cmi.core.lesson_status", status);
  }

  commit() { this.api.LMSCommit(""); }

  terminate() {
    if (!this.api || this.blocked === this.S.noLms) return;
    this.set("cmi.core.session_time", timespan(this.sessionSeconds()));
    this.set("cmi.core.exit", this.completed() ? "" : "suspend");
    this.api.LMSCommit("");
    this.api.LMSFinish("");
  }
}

export async function createAdapter(props) {
  return new Scorm12Adapter(props).init();
}
