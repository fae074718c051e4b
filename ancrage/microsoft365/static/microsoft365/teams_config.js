// The channel tab's configuration page inside Microsoft Teams (TeamsJS, from our own static files).
//
// Teams shows its own Save button and enables it once the page says the choice is valid
// (pages.config.setValidityState). On Save, Teams calls our handler: we record the choice
// (POST to this page, which answers JSON), give Teams the tab's address
// (pages.config.setConfig) and report the outcome (notifySuccess / notifyFailure).
//
// Outside Teams nothing can save the tab, so the page says so instead of waiting: at once
// when it is neither framed nor in Teams' mobile webview (window.nativeInterface), after
// CONNECT_MS when the frame's host never answers TeamsJS' initialize.

const CONNECT_MS = 5000;

const form = document.querySelector("[data-teams-config]");
const message = document.querySelector("[data-teams-message]");

function say(text) {
  if (!message) return;
  message.className = text ? "message message-error" : "";
  message.textContent = text;
}

function loadTeamsJs(src) {
  if (window.microsoftTeams) return Promise.resolve(window.microsoftTeams);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve(window.microsoftTeams);
    script.onerror = () => reject(new Error("TeamsJS did not load"));
    document.head.append(script);
  });
}

function within(ms, promise) {
  let timer;
  const late = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error("Teams did not answer")), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function connect() {
  if (window.parent === window && !window.nativeInterface) {
    throw new Error("not inside Teams");
  }
  const teams = await loadTeamsJs(form.dataset.teamsJs);
  await within(CONNECT_MS, teams.app.initialize());
  return teams;
}

async function save(teams, saveEvent) {
  let reason = form.dataset.failed;
  try {
    const response = await fetch(window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (typeof answer.error === "string") reason = answer.error;
      throw new Error(reason);
    }
    await teams.pages.config.setConfig({
      contentUrl: answer.contentUrl,
      websiteUrl: answer.websiteUrl,
      entityId: answer.entityId,
      suggestedDisplayName: answer.suggestedDisplayName,
    });
    say("");
    saveEvent.notifySuccess();
  } catch (_error) {
    say(reason);
    saveEvent.notifyFailure(reason);
  }
}

async function start() {
  const chosen = () => form.querySelector("input[name=subject]:checked") !== null;
  try {
    const teams = await connect();
    // Throws unless Teams opened this page as a tab's configuration ("settings" context).
    teams.pages.config.registerOnSaveHandler((saveEvent) => save(teams, saveEvent));
    teams.pages.config.setValidityState(chosen());
    form.addEventListener("change", () => teams.pages.config.setValidityState(chosen()));
  } catch (_error) {
    say(message.dataset.outside);
  }
}

if (form && message) start();
