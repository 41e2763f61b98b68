// The print page's button: the browser's own print dialog (A4 landscape comes from print.css).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
