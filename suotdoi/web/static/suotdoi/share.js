// "Share to Zalo or another app": the phone's own share sheet (Zalo, Messenger, SMS…);
// where there is none, the link is copied instead.
(function () {
  var button = document.getElementById("share-native");
  if (!button) return;
  button.addEventListener("click", function () {
    var url = button.getAttribute("data-share-url");
    var title = button.getAttribute("data-share-title");
    if (navigator.share) {
      navigator.share({ title: title, url: url }).catch(function () {});
      return;
    }
    var field = document.getElementById("share-url");
    if (navigator.clipboard) {
      navigator.clipboard.writeText(url).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    } else if (field) {
      field.select();
    }
  });
})();
