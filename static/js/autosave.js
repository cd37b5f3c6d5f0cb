// Autosave of the micro-credential workspace (progressive enhancement: the page works without it
// through its Save button). Each answer is sent on its own a moment after typing stops; the
// server keeps every saved version, and the last write wins per answer.
(() => {
  "use strict";
  const form = document.getElementById("answers-form");
  const status = document.getElementById("save-status");
  if (!form || !status || !window.fetch) return;

  const url = form.dataset.autosaveUrl;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const DEBOUNCE_MS = 1500;
  const RETRY_MAX_MS = 30000;
  const clientId = (() => {
    // One id per tab (kept across reloads of the tab), so the history says which tab saved.
    const key = "trellis-autosave-client";
    let id = sessionStorage.getItem(key);
    if (!id) {
      id = "tab-" + Math.random().toString(36).slice(2, 10);
      sessionStorage.setItem(key, id);
    }
    return id;
  })();

  const dirty = new Set(); // part ids changed since their last successful save
  // Answers the server refused (a word limit…), with its reason: they stay unsaved but are left
  // out of later batches until edited again, so they never block saving the other answers.
  const refusedParts = new Map();
  let privacyDirty = false;
  let timer = null;
  let inFlight = false;
  let retryDelay = 2000;
  let submitting = false;

  const fields = Array.from(document.querySelectorAll("textarea[data-part][form=answers-form]"));
  const privacy = document.getElementById("privacy-confirmed");
  const baseInput = (part) => document.querySelector(`input[data-base-for="${part}"]`);

  function say(text) {
    status.textContent = text;
  }

  function wordCount(text) {
    const words = text.trim().split(/\s+/).filter(Boolean);
    return words.length;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function payload() {
    const answers = {};
    const base = {};
    dirty.forEach((part) => {
      if (refusedParts.has(part)) return;
      const field = document.querySelector(`textarea[data-part="${part}"]`);
      answers[part] = field.value;
      const input = baseInput(part);
      if (input) base[part] = Number(input.value);
    });
    const body = { client_id: clientId, answers, base_revisions: base };
    if (privacyDirty && privacy) body.privacy_confirmed = privacy.checked;
    return body;
  }

  function pending() {
    return Array.from(dirty).some((part) => !refusedParts.has(part)) || privacyDirty;
  }

  function refusalNote() {
    if (!refusedParts.size) return "";
    return ` — not saved: ${Array.from(refusedParts.values()).join(" ")}`;
  }

  async function flush() {
    timer = null;
    if (inFlight || !pending()) return;
    inFlight = true;
    let refused = false;
    const sending = new Set(Array.from(dirty).filter((part) => !refusedParts.has(part)));
    const sendingPrivacy = privacyDirty;
    const body = payload();
    sending.forEach((part) => dirty.delete(part));
    privacyDirty = false;
    say("Saving…");
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        Object.entries(data.revisions || {}).forEach(([part, revision]) => {
          const input = baseInput(part);
          if (input) input.value = revision;
        });
        retryDelay = 2000;
        let text = `Saved at ${data.saved_at_label}`;
        if ((data.overwritten || []).length) {
          text += ". Another tab had also changed an answer; its text is in the version history.";
        }
        say(text + refusalNote());
      } else if (response.status >= 400 && response.status < 500 && data.error) {
        // The server refused this content (a word limit, a locked part): say why; keep the
        // change marked unsaved so the next edit tries again.
        sending.forEach((part) => dirty.add(part));
        privacyDirty = privacyDirty || sendingPrivacy;
        const field = (data.error.details || {}).field;
        if (field && sending.has(field)) {
          // Set that answer aside; the rest of the batch goes again at once.
          refusedParts.set(field, data.error.message);
        } else {
          refused = true;
        }
        say(`Not saved — ${data.error.message}`);
      } else {
        throw new Error(String(response.status));
      }
    } catch (error) {
      sending.forEach((part) => dirty.add(part));
      privacyDirty = privacyDirty || sendingPrivacy;
      say("Not saved — retrying");
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
    } finally {
      inFlight = false;
      // Changes typed while this save was under way go next (a refused save waits for an edit).
      if (!refused && pending() && !timer) schedule(DEBOUNCE_MS);
    }
  }

  fields.forEach((field) => {
    const counter = document.querySelector(`[data-words-for="${field.dataset.part}"]`);
    field.addEventListener("input", () => {
      dirty.add(field.dataset.part);
      refusedParts.delete(field.dataset.part);
      if (counter) counter.textContent = String(wordCount(field.value));
      say("Unsaved changes…");
      schedule(DEBOUNCE_MS);
    });
  });
  if (privacy) {
    privacy.addEventListener("change", () => {
      privacyDirty = true;
      schedule(0);
    });
  }

  // The Save and Submit buttons post the whole form; nothing is lost, so no warning then.
  form.addEventListener("submit", () => {
    submitting = true;
  });
  document.querySelectorAll("button[form=answers-form]").forEach((button) =>
    button.addEventListener("click", () => {
      submitting = true;
    }),
  );

  window.addEventListener("beforeunload", (event) => {
    if (submitting || (!dirty.size && !privacyDirty && !inFlight)) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Leaving the tab: try once more, with keepalive so the request survives the page.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden" || !pending() || inFlight) return;
    clearTimeout(timer);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload()),
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        Object.entries(data.revisions || {}).forEach(([part, revision]) => {
          const input = baseInput(part);
          if (input) input.value = revision;
        });
        Object.keys(data.revisions || {}).forEach((part) => dirty.delete(part));
        privacyDirty = false;
        say(`Saved at ${data.saved_at_label}${refusalNote()}`);
      })
      .catch(() => say("Not saved — retrying"));
  });
})();
