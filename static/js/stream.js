// Talking to the service: the streamed trace (server-sent events read through fetch, so a refused
// request still gives us its JSON `detail` — EventSource hides the status and body), one-shot
// traces for the compare view, and errors turned into sentences a person can act on.

/** An error a person can read: `message` says what happened, `hint` what to do about it. */
export class PageError extends Error {
  constructor(message, hint = "", { kind = "error", status = 0 } = {}) {
    super(message);
    this.hint = hint;
    this.kind = kind;
    this.status = status;
  }
}

function detailText(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (d && d.msg ? d.msg : JSON.stringify(d))).join("; ");
  }
  return detail ? JSON.stringify(detail) : "";
}

/** Turn a refused request into a PageError with advice that fits its status. */
export async function refused(res) {
  let detail = "";
  try {
    detail = detailText((await res.json()).detail);
  } catch {
    detail = res.statusText;
  }
  const hints = {
    413: "Shorten the text (the limit is shown under the text box) and press Run again.",
    422: "Change the text and press Run again.",
    404: "Pick another model in the list and press Run again.",
    429: "The server is busy; wait a few seconds and press Run again.",
  };
  const hint = hints[res.status] ?? "Press Run again; if it keeps failing, reload the page.";
  return new PageError(detail || `The server refused the request (${res.status}).`, hint,
                       { status: res.status });
}

function lost(err) {
  if (err instanceof PageError) return err;
  return new PageError("The connection to the server was lost.",
                       "Check that the gatescope server is still running, then press Run again.",
                       { kind: "connection" });
}

/**
 * Stream a trace: calls onMeta({model, text, tokens}), onStep(step) for every step as it arrives,
 * then onDone({probs, verdict}). Resolves when the stream ends; rejects with a PageError. `signal` aborts.
 */
export async function streamTrace({ text, model, clamp }, { onMeta, onStep, onDone }, signal) {
  const q = new URLSearchParams({ text, model });
  if (clamp) q.set("clamp", JSON.stringify(clamp));
  let res;
  try {
    res = await fetch(`/api/trace/stream?${q}`, { signal, headers: { Accept: "text/event-stream" } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw lost(err);
  }
  if (!res.ok) throw await refused(res);

  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let finished = false;
  const dispatch = (block) => {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(line[5] === " " ? 6 : 5));
    }
    if (!data.length) return;
    const payload = JSON.parse(data.join("\n"));
    if (event === "meta") onMeta(payload);
    else if (event === "step") onStep(payload);
    else if (event === "done") { finished = true; onDone(payload); }
    else if (event === "error") {
      throw new PageError(detailText(payload.detail) || "The server could not finish this text.",
                          "Change the text or pick another model, then press Run again.");
    }
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        dispatch(block);
      }
    }
  } catch (err) {
    if (signal?.aborted || err instanceof PageError) throw err;
    throw lost(err);
  }
  if (!finished) throw lost(null);
}

const traceCache = new Map();

/** One whole trace (POST /api/trace), cached per (model, text) for the page's lifetime. */
export function fetchTrace(text, model) {
  const key = JSON.stringify([model, text]);
  if (!traceCache.has(key)) {
    const p = (async () => {
      let res;
      try {
        res = await fetch("/api/trace", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text, model }),
        });
      } catch (err) {
        throw lost(err);
      }
      if (!res.ok) throw await refused(res);
      return res.json();
    })();
    p.catch(() => traceCache.delete(key));
    traceCache.set(key, p);
  }
  return traceCache.get(key);
}
