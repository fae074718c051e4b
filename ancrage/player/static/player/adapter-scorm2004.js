// SCORM 2004 4th edition host adapter: the player's progress in the LMS's `API_1484_11`.
// cmi.location, cmi.suspend_data, cmi.completion_status, cmi.success_status (against
// cmi.scaled_passing_score, else the player's mastery), cmi.score.scaled/raw/min/max,
// cmi.progress_measure, one cmi.interactions.n per quiz or scenario answer,
// cmi.session_time and cmi.exit. Commit on every card and answer, Terminate on pagehide.
import { HostAdapter, findApi } from "./adapter-host.js";

const pad = (n) => String(n).padStart(2, "0");
const stamp = (d) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
const choiceId = (i) => `choice-${i}`;

class Scorm2004Adapter extends HostAdapter {
  get(name) { return String(this.api.GetValue(name) ?? ""); }
  set(name, value) { this.api.SetValue(name, String(value)); }

  async open() {
    this.api = findApi("API_1484_11");
    if (!this.api || String(this.api.Initialize("")) !== "true") return null;
    this.learner = this.get("cmi.learner_id");
    const passing = parseFloat(this.get("cmi.scaled_passing_score"));
    if (!Number.isNaN(passing)) this.mastery = passing;
    const status = this.get("cmi.completion_status");
    if (status !== "completed") this.set("cmi.completion_status", "incomplete");
    return { location: this.get("cmi.location"), suspend: this.get("cmi.suspend_data") };
  }

  writeViewed(card) { this.set("cmi.location", card); }

  writeAnswer(card, data, response, outcome) {
    if (outcome.type === "text") return;
    const n = Number(this.get("cmi.interactions._count")) || 0;
    const at = `cmi.interactions.${n}.`;
    this.set(`${at}id`, `urn:ancrage:card:${encodeURIComponent(this.props.code)}:${encodeURIComponent(card)}`);
    this.set(`${at}type`, "choice");
    this.set(`${at}timestamp`, stamp(new Date()));
    this.set(`${at}weighting`, "1");
    this.set(`${at}description`, data.title.slice(0, 250));
    if (outcome.type === "quiz") {
      this.set(`${at}correct_responses.0.pattern`, data.answers.correct.map(choiceId).join("[,]"));
      this.set(`${at}learner_response`, response.choices.map(choiceId).join("[,]"));
      this.set(`${at}result`, outcome.correct ? "correct" : "incorrect");
    } else {
      const bestIndex = data.answers.scores.indexOf(Math.max(...data.answers.scores));
      this.set(`${at}correct_responses.0.pattern`, choiceId(bestIndex));
      this.set(`${at}learner_response`, choiceId(response.choice));
      this.set(`${at}result`, outcome.best ? "correct" : outcome.score === 1 ? "neutral" : "incorrect");
    }
  }

  writeProgress() {
    this.set("cmi.suspend_data", this.encode());
    this.set("cmi.progress_measure", this.progressMeasure().toFixed(4));
    const scaled = this.scaled();
    if (scaled !== null) {
      this.set("cmi.score.scaled", scaled.toFixed(4));
      this.set("cmi.score.min", "0");
      this.set("cmi.score.max", "100");
      this.set("cmi.score.raw", String(Math.round(scaled * 100)));
    }
    this.set("cmi.completion_status", this.completed() ? "completed" : "incomplete");
    const passed = this.passed();
    if (passed !== null) this.set("cmi.success_status", passed ? "passed" : "failed");
    else if (!this.quizKeys.length && this.completed()) this.set("cmi.success_status", "passed");
  }

  commit() { this.api.Commit(""); }

  terminate() {
    if (!this.api || this.blocked === this.S.noLms) return;
    this.set("cmi.session_time", `PT${this.sessionSeconds().toFixed(2)}S`);
    this.set("cmi.exit", this.completed() ? "normal" : "suspend");
    this.api.Commit("");
    this.api.Terminate("");
  }
}

export async function createAdapter(props) {
  return new Scorm2004Adapter(props).init();
}
