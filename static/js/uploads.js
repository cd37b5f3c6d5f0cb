// Resumable evidence uploads on the micro-credential workspace (progressive enhancement: without
// fetch and File.slice the form posts the file in one request, as before, and so does a file no
// larger than one chunk). A larger file is sent in chunks; when the connection drops the script
// waits, asks the server how many bytes it has and continues from there. The session's address
// is kept in sessionStorage under the submission, part and file (name, size, last modified), so
// choosing the same file again after a reload resumes it instead of starting over.
(() => {
  "use strict";
  if (!window.fetch || !window.Blob || !Blob.prototype.slice || !window.sessionStorage) return;

  const MB = 1024 * 1024;
  const RETRY_DELAYS = [2, 4, 8, 15, 30, 30, 30, 30]; // seconds between attempts, then give up

  class NetworkError extends Error {}
  class Refusal extends Error {
    constructor(status, code, message, details) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = details || {};
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function size(bytes) {
    if (bytes >= MB) return `${Math.round(bytes / MB)} MB`;
    return `${Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / 1024))} KB`;
  }

  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // One request: JSON back, NetworkError for anything worth retrying (no answer, 5xx, 408,
  // 429), Refusal (with the server's code and message) for the rest.
  async function call(form, url, options) {
    let response;
    try {
      response = await fetch(url, {
        credentials: "same-origin",
        ...options,
        headers: {
          Accept: "application/json",
          "X-CSRFToken": csrfToken(form),
          ...(options.headers || {}),
        },
      });
    } catch (_error) {
      throw new NetworkError("no response");
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      throw new NetworkError(`status ${response.status}`);
    }
    if (response.status === 204) return { status: 204, body: {} };
    let body = null;
    try {
      body = await response.json();
    } catch (_error) {
      body = null;
    }
    if (body === null) {
      throw new Refusal(
        response.status,
        "unexpected_response",
        "the server's answer was not understood (you may have been signed out). Reload the page.",
      );
    }
    if (!response.ok) {
      const error = body.error || {};
      throw new Refusal(
        response.status,
        error.code || "error",
        error.message || `the server refused it (${response.status}).`,
        error.details,
      );
    }
    return { status: response.status, body };
  }

  function enhance(form) {
    const fileInput = form.querySelector("input[type=file]");
    const box = form.querySelector(".mc-upload-progress");
    if (!fileInput || !box) return;
    const bar = box.querySelector("progress");
    const status = box.querySelector("[role=status]");
    const retryButton = box.querySelector("[data-upload-retry]");
    const cancelButton = box.querySelector("[data-upload-cancel]");
    const submitButton = form.querySelector("button[type=submit]");
    const urlInput = form.querySelector("input[type=url]");
    const description = form.querySelector("input[name=description]");
    let busy = false;
    let cancelled = false;
    let sessionUrl = "";

    const say = (text) => {
      status.textContent = text;
    };
    const keyFor = (file) =>
      [
        "trellis-upload",
        form.dataset.submission,
        form.dataset.part,
        file.name,
        file.size,
        file.lastModified,
      ].join(":");

    function setBusy(value) {
      busy = value;
      submitButton.disabled = value;
      cancelButton.hidden = !value;
      if (value) retryButton.hidden = true;
    }

    function showProgress(received, total) {
      bar.max = total;
      bar.value = received;
      say(`Uploading ${size(received)} of ${size(total)}`);
    }

    // Runs `attempt` until it gets an answer, waiting longer after each dropped connection.
    async function retrying(attempt, alreadyFailed) {
      let tries = 0;
      if (alreadyFailed) {
        say(`Connection lost — retrying in ${RETRY_DELAYS[0]} s`);
        await sleep(RETRY_DELAYS[0] * 1000);
        tries = 1;
      }
      for (;;) {
        if (cancelled) throw new Refusal(0, "cancelled", "cancelled.");
        try {
          return await attempt();
        } catch (error) {
          if (!(error instanceof NetworkError)) throw error;
          if (tries >= RETRY_DELAYS.length) {
            throw new Refusal(
              0,
              "offline",
              "the connection was lost. Check it, then press Retry to continue where it stopped.",
            );
          }
          say(`Connection lost — retrying in ${RETRY_DELAYS[tries]} s`);
          await sleep(RETRY_DELAYS[tries] * 1000);
          tries += 1;
        }
      }
    }

    async function openSession(file, key) {
      const saved = sessionStorage.getItem(key);
      if (saved) {
        try {
          const found = await retrying(() => call(form, saved, { method: "GET" }));
          if (found.body.status === "receiving" || found.body.status === "complete") {
            return found.body;
          }
        } catch (error) {
          if (!(error instanceof Refusal) || error.code === "offline") throw error;
        }
        sessionStorage.removeItem(key);
      }
      say(`Starting the upload of ${file.name}…`);
      const started = await retrying(() =>
        call(form, form.dataset.resumableUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            part: form.dataset.part,
            filename: file.name,
            size: file.size,
            description: description ? description.value : "",
          }),
        }),
      );
      sessionStorage.setItem(key, started.body.url);
      return started.body;
    }

    async function upload(file) {
      const key = keyFor(file);
      cancelled = false;
      setBusy(true);
      box.hidden = false;
      bar.max = file.size;
      bar.value = 0;
      try {
        const session = await openSession(file, key);
        sessionUrl = session.url;
        let received = session.received;
        let complete = session.status === "complete";
        if (received > 0 && !complete) say(`Resuming from ${size(received)}`);
        const chunkSize = session.chunk_size || 4 * MB;
        while (!complete) {
          if (cancelled) return;
          if (received > 0) bar.value = received;
          const end = Math.min(received + chunkSize, file.size);
          try {
            const sent = await call(form, session.url, {
              method: "PUT",
              headers: {
                "Content-Type": "application/octet-stream",
                "Content-Range": `bytes ${received}-${end - 1}/${file.size}`,
              },
              body: file.slice(received, end),
            });
            received = sent.body.received;
            complete = sent.status === 201 || sent.body.status === "complete";
            showProgress(received, file.size);
          } catch (error) {
            if (error instanceof Refusal && error.code === "wrong_offset") {
              received = error.details.received; // the server knows best: continue from there
              say(`Resuming from ${size(received)}`);
              continue;
            }
            if (!(error instanceof NetworkError)) throw error;
            const state = await retrying(() => call(form, session.url, { method: "GET" }), true);
            if (state.body.status === "complete") {
              complete = true;
            } else if (state.body.status !== "receiving") {
              throw new Refusal(0, state.body.status, state.body.error || "it was stopped.");
            } else {
              received = state.body.received;
              say(`Resuming from ${size(received)}`);
            }
          }
        }
        sessionStorage.removeItem(key);
        bar.value = file.size;
        say(`Uploaded ${file.name}. Updating the list…`);
        busy = false;
        window.location.hash = `part-${form.dataset.part}`;
        window.location.reload();
      } catch (error) {
        if (!(error instanceof Refusal) || error.code !== "offline") sessionStorage.removeItem(key);
        setBusy(false);
        if (cancelled) return;
        const reason = error instanceof Refusal ? error.message : "something went wrong.";
        say(`Upload failed: ${reason}`);
        retryButton.hidden = false;
      }
    }

    form.addEventListener("submit", (event) => {
      const file = fileInput.files && fileInput.files[0];
      if (!file) return; // a link (or nothing): the ordinary form handles it
      if (urlInput && urlInput.value.trim()) return; // the server explains "a file or a link"
      // A file that fits in one chunk goes in one request, as without the script.
      if (file.size <= Number(form.dataset.chunkSize || 4 * MB)) return;
      event.preventDefault();
      if (!busy) upload(file);
    });

    retryButton.addEventListener("click", () => {
      const file = fileInput.files && fileInput.files[0];
      if (!file) {
        say("Choose the file again, then press Add.");
        return;
      }
      if (!busy) upload(file);
    });

    cancelButton.addEventListener("click", async () => {
      cancelled = true;
      const file = fileInput.files && fileInput.files[0];
      if (file) sessionStorage.removeItem(keyFor(file));
      if (sessionUrl) {
        try {
          await call(form, sessionUrl, { method: "DELETE" });
        } catch (_error) {
          // the server deletes unfinished uploads after 24 hours anyway
        }
      }
      setBusy(false);
      bar.value = 0;
      say("Upload cancelled.");
    });

    window.addEventListener("beforeunload", (event) => {
      if (busy) event.preventDefault();
    });
  }

  document.querySelectorAll("form.mc-upload[data-resumable-url]").forEach(enhance);
})();
