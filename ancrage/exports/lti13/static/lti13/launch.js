// After an LTI launch: continue in this window when our session cookie stuck and the page
// is not framed; otherwise point the learner to the new-window link (one-time sign-in).
(function () {
  "use strict";
  var root = document.querySelector("[data-lti-launch]");
  if (!root) return;
  var framed = window.top !== window.self;
  var status = root.querySelector("[data-lti-status]");
  var here = root.querySelector("[data-lti-here]");
  fetch(root.dataset.check, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : { signed_in: false }; })
    .then(function (answer) {
      var stuck = answer.signed_in && answer.member === root.dataset.member;
      if (stuck && !framed) {
        window.location.replace(root.dataset.player);
        return;
      }
      if (here) here.hidden = true;
      if (status && !stuck) status.textContent = status.dataset.noCookie || status.textContent;
      var button = root.querySelector("[data-lti-window]");
      if (button) button.focus();
    })
    .catch(function () { if (here) here.hidden = true; });
})();
