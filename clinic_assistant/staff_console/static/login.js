// Show the "wrong password" message after a failed sign-in (/login?error=1).
document.addEventListener("DOMContentLoaded", function () {
  if (new URLSearchParams(window.location.search).has("error")) {
    document.getElementById("login-error").hidden = false;
  }
});
