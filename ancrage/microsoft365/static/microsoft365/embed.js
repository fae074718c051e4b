// Popup sign-in for pages framed by Teams, SharePoint or an LMS (no third-party cookies).
//
// In the frame: "Sign in" opens a popup on our origin. The popup signs in first-party, then
// posts a one-time token to its opener, addressed to our origin only. The frame accepts a
// message only from that popup and from our origin, exchanges the token for a session kept
// in partitioned cookies, and reloads.

const status = document.querySelector("[data-embed-status]");

function say(key) {
  if (status) status.textContent = status.dataset[key] || "";
}

const button = document.querySelector("[data-embed-sign-in]");
if (button) {
  let popup = null;
  window.addEventListener("message", async (event) => {
    if (event.origin !== window.location.origin || event.source !== popup) return;
    const token = event.data && event.data.type === "ancrage-sign-in" && event.data.token;
    if (typeof token !== "string") return;
    const body = new URLSearchParams({ token });
    const response = await fetch(button.dataset.embedExchange, {
      method: "POST",
      body,
      credentials: "same-origin",
    });
    if (response.ok) {
      window.location.reload();
    } else {
      say("failed");
    }
  });
  button.addEventListener("click", () => {
    popup = window.open(button.dataset.embedSignIn, "ancrage-sign-in", "popup,width=480,height=640");
    if (!popup) say("popupBlocked");
  });
}

const handoff = document.querySelector("[data-embed-token]");
if (handoff && window.opener) {
  window.opener.postMessage(
    { type: "ancrage-sign-in", token: handoff.dataset.embedToken },
    handoff.dataset.embedOrigin,
  );
  window.close();
}
