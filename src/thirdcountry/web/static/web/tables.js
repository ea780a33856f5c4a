/* A table wider than its box scrolls inside it; that box then takes keyboard focus (so the
   arrow keys scroll it) and is named after the table's caption or its section's heading. */
function markScrollingTables(root) {
  for (const box of root.querySelectorAll(".table-scroll")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      const heading = box.closest("section")?.querySelector("h2, h3");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", (caption || heading || document.querySelector("h1"))?.textContent.trim() || "");
      box.classList.add("scrolls");
    } else if (!scrolls && box.classList.contains("scrolls")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.classList.remove("scrolls");
    }
  }
}
document.addEventListener("DOMContentLoaded", () => markScrollingTables(document));
window.addEventListener("resize", () => markScrollingTables(document));
document.addEventListener("htmx:afterSettle", () => markScrollingTables(document));
