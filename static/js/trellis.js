// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.querySelector(".messages") || document.createElement("div");
  box.className = "messages";
  box.setAttribute("role", "alert");
  box.innerHTML = "";
  const p = document.createElement("p");
  p.className = "message message-error";
  p.textContent = "Something went wrong. Your change was not saved; please try again.";
  box.appendChild(p);
  document.querySelector("main")?.prepend(box);
});
// Focus the main region after an htmx navigation so screen readers follow the change.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "main") {
    event.detail.target.focus();
  }
});
