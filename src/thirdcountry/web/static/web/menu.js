/* The main navigation folds behind a menu button on narrow screens. Without this script
   the button stays hidden and the navigation simply wraps. */
document.addEventListener("DOMContentLoaded", () => {
  const header = document.querySelector("header.top");
  const button = header && header.querySelector(".menu-button");
  const nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.dataset.menu = open ? "open" : "closed";
  };
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  header.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || header.dataset.menu !== "open") return;
    if (getComputedStyle(button).display === "none") return;
    setOpen(false);
    button.focus();
  });
});
