// Enter in a search box inside a larger form presses that search's own button (named in
// data-enter-clicks), not the form's main one: finding people never schedules or sends.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key !== "Enter" || !field.matches || !field.matches("[data-enter-clicks]")) return;
  var button = document.getElementById(field.getAttribute("data-enter-clicks"));
  if (button) {
    event.preventDefault();
    button.click();
  }
});
