// cmi5 host adapter: the AU side of the cmi5 launch (cmi5 spec, section 8–10).
// Launch parameters (endpoint, fetch, actor, registration, activityId) → POST the fetch URL
// once for the auth token → GET the `LMS.LaunchData` state document (context template,
// launch mode, moveOn, masteryScore, returnURL) → statements: initialized, completed (every
// card seen), passed/failed (every quiz answered, against masteryScore), terminated — each
// with the registration, the session id and the context template, cmi5-defined statements
// in the cmi5 category (and moveOn for completed/passed/failed). Progress for resuming is
// kept in the AU's own state document (`ancrage.progress`, the same compact encoding as
// SCORM suspend data). Statements are sent in order, one request at a time.
import { HostAdapter } from "./adapter-host.js";
import { newId } from "./adapters.js";

const VERB = "http://adlnet.gov/expapi/verbs/";
const CMI5_VERBS = {
  initialized: VERB + "initialized",
  completed: VERB + "completed",
  passed: VERB + "passed",
  failed: VERB + "failed",
  terminated: VERB + "terminated",
};
const CAT_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
const CAT_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
const EXT_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
const EXT_MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
const STATE_ID = "ancrage.progress";
const duration = (seconds) => `PT${seconds.toFixed(2)}S`;

class Cmi5Adapter extends HostAdapter {
  async open() {
    const q = new URLSearchParams(location.search);
    this.endpoint = q.get("endpoint");
    const fetchUrl = q.get("fetch");
    this.registration = q.get("registration");
    this.activityId = q.get("activityId");
    try { this.actor = JSON.parse(q.get("actor") || "null"); } catch { this.actor = null; }
    if (!this.endpoint || !fetchUrl || !this.registration || !this.activityId || !this.actor) return null;
    if (!this.endpoint.endsWith("/")) this.endpoint += "/";
    const tokenRes = await fetch(fetchUrl, { method: "POST" });
    const tokenBody = await tokenRes.json();
    if (!tokenRes.ok || !tokenBody["auth-token"]) return null;
    this.auth = `Basic ${tokenBody["auth-token"]}`;
    this.learner = (this.actor.account && this.actor.account.name) || this.actor.mbox || "";
    this.launchData = await this.getState("LMS.LaunchData", true);
    if (!this.launchData) return null;
    const template = this.launchData.contextTemplate || {};
    this.sessionId = (template.extensions || {})[EXT_SESSION];
    this.launchMode = this.launchData.launchMode || "Normal";
    if (typeof this.launchData.masteryScore === "number") this.mastery = this.launchData.masteryScore;
    this.moveOn = this.launchData.moveOn || "NotApplicable";
    this.sent = { completed: false, passed: false, failedThisSession: false };
    this.chain = Promise.resolve();
    const saved = (await this.getState(STATE_ID, false)) || {};
    this.sent.completed = Boolean(saved.completed);
    this.sent.passed = Boolean(saved.passed);
    this.send("initialized");
    return { location: saved.location || "", suspend: saved.suspend || "" };
  }

  headers(json) {
    const headers = { Authorization: this.auth, "X-Experience-API-Version": "1.0.3" };
    if (json) headers["Content-Type"] = "application/json";
    return headers;
  }

  stateUrl(stateId) {
    const params = new URLSearchParams({
      stateId, activityId: this.activityId, agent: JSON.stringify(this.actor), registration: this.registration,
    });
    return `${this.endpoint}activities/state?${params}`;
  }

  async getState(stateId, required) {
    const res = await fetch(this.stateUrl(stateId), { headers: this.headers(false) });
    if (res.status === 404 && !required) return null;
    if (!res.ok) return null;
    return res.json();
  }

  statement(verb, result) {
    const template = JSON.parse(JSON.stringify(this.launchData.contextTemplate || {}));
    const context = { ...template, registration: this.registration };
    const activities = context.contextActivities || {};
    const category = [...(activities.category || []), { id: CAT_CMI5 }];
    if (verb === "completed" || verb === "passed" || verb === "failed") category.push({ id: CAT_MOVEON });
    context.contextActivities = { ...activities, category };
    if (verb === "passed" || verb === "failed") {
      context.extensions = { ...(context.extensions || {}), [EXT_MASTERY]: this.mastery };
    }
    const statement = {
      id: newId(),
      actor: this.actor,
      verb: { id: CMI5_VERBS[verb], display: { "en-US": verb } },
      object: { objectType: "Activity", id: this.activityId },
      context,
      timestamp: new Date().toISOString(),
    };
    if (result) statement.result = result;
    return statement;
  }

  send(verb, result, keepalive = false) {
    const body = JSON.stringify([this.statement(verb, result)]);
    this.chain = this.chain.then(() => fetch(`${this.endpoint}statements`, {
      method: "POST", headers: this.headers(true), body, keepalive,
    })).catch(() => null);
    return this.chain;
  }

  writeProgress() {
    if (this.launchMode !== "Normal") return;
    const seconds = this.sessionSeconds();
    if (this.completed() && !this.sent.completed) {
      this.sent.completed = true;
      this.send("completed", { completion: true, duration: duration(seconds) });
    }
    const passed = this.passed();
    const scaled = this.scaled();
    if (passed === true && !this.sent.passed) {
      this.sent.passed = true;
      this.send("passed", { score: { scaled }, success: true, duration: duration(seconds) });
    } else if (passed === false && !this.sent.passed && !this.sent.failedThisSession) {
      this.sent.failedThisSession = true;
      this.send("failed", { score: { scaled }, success: false, duration: duration(seconds) });
    }
  }

  commit(keepalive = false) {
    const body = JSON.stringify({
      location: this.position, suspend: this.encode(), completed: this.sent.completed, passed: this.sent.passed,
    });
    this.chain = this.chain.then(() => fetch(this.stateUrl(STATE_ID), {
      method: "PUT", headers: this.headers(true), body, keepalive,
    })).catch(() => null);
  }

  terminate() {
    if (!this.launchData) return;
    this.commit(true);
    this.send("terminated", { duration: duration(this.sessionSeconds()) }, true);
  }

  async finish() {
    const text = await super.finish();
    this.close();
    await this.chain;
    const back = this.launchData && this.launchData.returnURL;
    if (back) location.href = back;
    return text;
  }
}

export async function createAdapter(props) {
  return new Cmi5Adapter(props).init();
}
