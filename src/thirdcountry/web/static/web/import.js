/* While an upload is being imported, the import page asks every second how far the import
   has come and shows it (stage, rows done of all, time left). Without this script the page
   simply waits for the report. */
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("import-form");
  const box = document.getElementById("import-progress");
  const url = form && form.dataset.progressUrl;
  if (!form || !box || !url) return;
  let asking = false;
  const ask = () => {
    if (asking) return;
    asking = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html !== null) box.innerHTML = html;
      })
      .catch(() => {})
      .finally(() => {
        asking = false;
      });
  };
  form.addEventListener("submit", () => {
    box.hidden = false;
    ask();
    window.setInterval(ask, 1000);
  });
});
