// Send the deep-linking answer back to the LMS without an extra click (the button stays
// for browsers without JavaScript).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
})();
