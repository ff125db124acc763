// Show why the sign-in page is open again: a failed sign-in (/login?error=1) or a session that
// ended (/login?signed_out=1).
document.addEventListener("DOMContentLoaded", function () {
  var query = new URLSearchParams(window.location.search);
  if (query.has("error")) {
    document.getElementById("login-error").hidden = false;
  } else if (query.has("signed_out")) {
    document.getElementById("login-signed-out").hidden = false;
  }
});
