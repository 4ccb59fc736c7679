// A small W3C WebDriver client (https://www.w3.org/TR/webdriver2/) over HTTP, for tauri-driver and
// WebKitWebDriver. Node 20 built-ins only (fetch, AbortSignal).
//
//   const client = new Client("http://127.0.0.1:4444", { signal });
//   await client.waitUntilReady(15_000);
//   const session = await client.newSession({ alwaysMatch: { browserName: "wry", "tauri:options": { application } } });
//   await session.click(testId("nav-imports"));
//   const el = await session.waitFor(testId("preview", { "data-state": "ready" }));
//   await el.attribute("data-value"); await el.text();
//   await session.execute("return document.title");
//   await session.screenshotTo("shot.png");
//   await session.delete();
//
// Every wait has an explicit timeout and fails with a WaitTimeout naming what it waited for; every
// request has its own timeout and also stops when the client's `signal` aborts (the run's deadline).

import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

/** An error the remote end returned: `error` is the W3C error code ("no such element", …). */
export class WebDriverError extends Error {
  constructor(command, status, error, message) {
    super(`${command}: ${error}${message ? `: ${firstLine(message)}` : ""} (HTTP ${status})`);
    this.name = "WebDriverError";
    this.command = command;
    this.status = status;
    this.error = error;
  }
}

/** A wait that ran out of time; `last` is what was last seen, to say what differed. */
export class WaitTimeout extends Error {
  constructor(what, timeoutMs, last) {
    super(`timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${what}${last === undefined ? "" : ` (last seen: ${describe(last)})`}`);
    this.name = "WaitTimeout";
    this.last = last;
  }
}

/** `[data-testid="id"]` plus attribute conditions: testId("batch-row", { "data-status": "undone" }). */
/** W3C WebDriver codes of keys that are not characters. */
export const KEY = { control: "\uE009" };

export function testId(id, attributes = {}) {
  let selector = `[data-testid="${cssString(id)}"]`;
  for (const [name, value] of Object.entries(attributes)) selector += `[${name}="${cssString(String(value))}"]`;
  return selector;
}

function cssString(text) {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

function firstLine(text) {
  const line = String(text).split("\n")[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function describe(value) {
  if (value instanceof Error) return value.message;
  try {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 400 ? `${text.slice(0, 400)}…` : text;
  } catch {
    return String(value);
  }
}

export class Client {
  /**
   * @param {string} baseUrl e.g. http://127.0.0.1:4444
   * @param {{ signal?: AbortSignal, requestTimeoutMs?: number, log?: (line: string) => void }} options
   */
  constructor(baseUrl, { signal, requestTimeoutMs = 20_000, log = () => {} } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.signal = signal;
    this.requestTimeoutMs = requestTimeoutMs;
    this.log = log;
  }

  /**
   * One command: returns the response's `value`, or throws WebDriverError. `detached`: not stopped by
   * the client's signal (for cleanup after the run's deadline has passed).
   */
  async request(method, path, body, { timeoutMs = this.requestTimeoutMs, detached = false } = {}) {
    const command = `${method} ${path}`;
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (this.signal && !detached) signals.push(this.signal);
    let response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (e) {
      if (this.signal?.aborted && !detached) throw new Error(`${command}: stopped (${describe(this.signal.reason)})`);
      if (e?.name === "TimeoutError") throw new Error(`${command}: no answer within ${timeoutMs / 1000} s`);
      throw new Error(`${command}: ${e?.cause?.code ?? e?.message ?? e}`);
    }
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new WebDriverError(command, response.status, "invalid response", text);
    }
    const value = json?.value;
    if (!response.ok || (value && typeof value === "object" && typeof value.error === "string")) {
      throw new WebDriverError(command, response.status, value?.error ?? "unknown error", value?.message ?? text);
    }
    return value;
  }

  /** GET /status's value ({ ready, message }). */
  status(timeoutMs = 2_000) {
    return this.request("GET", "/status", undefined, { timeoutMs });
  }

  /** Polls /status until the remote end says it is ready. */
  async waitUntilReady(timeoutMs = 15_000) {
    return waitUntil(
      async () => {
        const status = await this.status();
        return status?.ready === true ? status : undefined;
      },
      { timeoutMs, what: `${this.baseUrl}/status to say ready`, signal: this.signal },
    );
  }

  /** POST /session with these W3C capabilities ({ alwaysMatch, firstMatch }). */
  async newSession(capabilities, { timeoutMs = 60_000 } = {}) {
    const value = await this.request("POST", "/session", { capabilities }, { timeoutMs });
    if (!value?.sessionId) throw new Error(`POST /session: no sessionId in ${describe(value)}`);
    this.log(`session ${value.sessionId} (${value.capabilities?.browserName ?? "?"} ${value.capabilities?.browserVersion ?? ""})`);
    return new Session(this, value.sessionId, value.capabilities ?? {});
  }
}

export class Session {
  constructor(client, id, capabilities) {
    this.client = client;
    this.id = id;
    this.capabilities = capabilities;
    this.deleted = false;
    /** Default timeout of waits (ms). */
    this.waitTimeoutMs = 15_000;
  }

  cmd(method, path, body, options) {
    return this.client.request(method, `/session/${this.id}${path}`, body, options);
  }

  /** DELETE /session/{id}: closes the application. Safe to call twice; runs even after the client's
   * signal has aborted (it is cleanup). */
  async delete({ timeoutMs = 10_000 } = {}) {
    if (this.deleted) return;
    this.deleted = true;
    await this.cmd("DELETE", "", undefined, { timeoutMs, detached: true });
  }

  /** Sets the remote end's own timeouts (script, pageLoad, implicit), in ms. */
  setTimeouts(timeouts) {
    return this.cmd("POST", "/timeouts", timeouts);
  }

  navigate(url) {
    return this.cmd("POST", "/url", { url });
  }

  url() {
    return this.cmd("GET", "/url");
  }

  title() {
    return this.cmd("GET", "/title");
  }

  /** The first element matching the CSS selector, or null. */
  async find(selector, from) {
    const path = from ? `/element/${from.id}/element` : "/element";
    try {
      const value = await this.cmd("POST", path, { using: "css selector", value: selector });
      return new Element(this, elementId(value), selector);
    } catch (e) {
      if (e instanceof WebDriverError && e.error === "no such element") return null;
      throw e;
    }
  }

  /** Every element matching the CSS selector (possibly none). */
  async findAll(selector, from) {
    const path = from ? `/element/${from.id}/elements` : "/elements";
    const value = await this.cmd("POST", path, { using: "css selector", value: selector });
    return (value ?? []).map((v) => new Element(this, elementId(v), selector));
  }

  /**
   * Waits for an element matching `selector` (and, if given, `until(element)` true); returns it.
   * Elements that go stale while being checked are looked up again.
   */
  async waitFor(selector, { timeoutMs = this.waitTimeoutMs, until, what } = {}) {
    return this.waitUntil(
      async () => {
        for (const el of await this.findAll(selector)) {
          if (!until || (await until(el))) return el;
        }
        return undefined;
      },
      { timeoutMs, what: what ?? selector },
    );
  }

  /** Waits until nothing matches `selector`. */
  async waitForAbsent(selector, { timeoutMs = this.waitTimeoutMs, what } = {}) {
    await this.waitUntil(async () => ((await this.findAll(selector)).length === 0 ? true : undefined), {
      timeoutMs,
      what: what ?? `${selector} to go away`,
    });
  }

  /** Polls `fn` until it returns something other than undefined/false/null; returns that. */
  waitUntil(fn, { timeoutMs = this.waitTimeoutMs, what = "a condition", intervalMs = 150 } = {}) {
    return waitUntil(fn, { timeoutMs, what, intervalMs, signal: this.client.signal });
  }

  /**
   * Clicks an element (or the first match of a selector, waited for). A click the page intercepts (an
   * overlay fading out, say) is retried until the timeout; if WebKit still refuses it, the element is
   * clicked from JavaScript and `onFallback` is told.
   */
  async click(target, { timeoutMs = this.waitTimeoutMs, onFallback } = {}) {
    const el = typeof target === "string" ? await this.waitFor(target, { timeoutMs }) : target;
    const started = Date.now();
    for (;;) {
      try {
        await this.cmd("POST", `/element/${el.id}/click`, {});
        return el;
      } catch (e) {
        const retriable = e instanceof WebDriverError && ["element click intercepted", "element not interactable"].includes(e.error);
        if (!retriable) throw e;
        if (Date.now() - started > timeoutMs) {
          onFallback?.(`${el.selector}: ${e.error}; clicked from JavaScript instead`);
          await this.execute("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", [el.ref()]);
          return el;
        }
        await sleep(150, undefined, { signal: this.client.signal });
      }
    }
  }

  /** Runs `script` (a function body: use `return`, `arguments[i]`) in the page; returns its value. */
  execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Presses keys together as a person would (W3C actions): `pressKeys(KEY.control, "w")`. */
  pressKeys(...keys) {
    const down = keys.map((value) => ({ type: "keyDown", value }));
    const up = [...keys].reverse().map((value) => ({ type: "keyUp", value }));
    return this.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions: [...down, ...up] }] });
  }

  /** Runs `script` with a callback as its last argument; returns what it is called with. */
  executeAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  /**
   * Waits for the page to paint what it has: two animation frames (WebKit's screenshot is the last
   * painted frame, which can be older than the DOM), or 1 s if frames are not running.
   */
  settle() {
    return this.executeAsync(
      "const done = arguments[arguments.length - 1];" +
        "const timer = setTimeout(() => done(false), 1000);" +
        "requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); done(true); }));",
    );
  }

  /** A PNG of the window (Buffer), once the page has painted (see settle). */
  async screenshot({ settle = true } = {}) {
    if (settle) await this.settle();
    return Buffer.from(await this.cmd("GET", "/screenshot", undefined, { timeoutMs: 30_000 }), "base64");
  }

  /** Saves a PNG of the window at `path` (folders made as needed); returns its size in bytes. */
  async screenshotTo(path, options) {
    const png = await this.screenshot(options);
    if (png.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error(`screenshot for ${path} is not a PNG`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, png);
    return png.length;
  }

  /** The page's HTML, for a failure report. */
  source() {
    return this.cmd("GET", "/source");
  }
}

export class Element {
  constructor(session, id, selector) {
    this.session = session;
    this.id = id;
    this.selector = selector;
  }

  /** The reference to pass as a script argument. */
  ref() {
    return { [ELEMENT_KEY]: this.id };
  }

  click(options) {
    return this.session.click(this, options);
  }

  text() {
    return this.session.cmd("GET", `/element/${this.id}/text`);
  }

  /** The attribute's value, or null when absent. */
  attribute(name) {
    return this.session.cmd("GET", `/element/${this.id}/attribute/${encodeURIComponent(name)}`);
  }

  property(name) {
    return this.session.cmd("GET", `/element/${this.id}/property/${encodeURIComponent(name)}`);
  }

  displayed() {
    return this.session.cmd("GET", `/element/${this.id}/displayed`);
  }

  find(selector) {
    return this.session.find(selector, this);
  }

  findAll(selector) {
    return this.session.findAll(selector, this);
  }

  async screenshot() {
    return Buffer.from(await this.session.cmd("GET", `/element/${this.id}/screenshot`, undefined, { timeoutMs: 30_000 }), "base64");
  }
}

function elementId(value) {
  const id = value?.[ELEMENT_KEY] ?? value?.ELEMENT;
  if (!id) throw new Error(`not an element reference: ${describe(value)}`);
  return id;
}

/** Errors no amount of waiting mends: the session or window is gone, or the request is wrong. */
const FATAL = new Set(["invalid session id", "session not created", "no such window", "unknown command", "unknown method",
  "invalid selector", "invalid argument", "unsupported operation"]);

/**
 * Polls `fn` every `intervalMs` until it returns a value other than undefined, null or false; returns
 * it. Errors thrown by `fn` count as "not yet" (a stale element, a page between states) and the last
 * one is reported if time runs out, except those that waiting cannot mend (the session is gone),
 * which are thrown at once. Stops at once when `signal` aborts.
 */
export async function waitUntil(fn, { timeoutMs, what, intervalMs = 150, signal } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    if (signal?.aborted) throw new Error(`stopped while waiting for ${what} (${describe(signal.reason)})`);
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (e) {
      if (signal?.aborted) throw new Error(`stopped while waiting for ${what} (${describe(signal.reason)})`);
      if (e instanceof WebDriverError && FATAL.has(e.error)) throw e;
      last = e;
    }
    if (Date.now() >= deadline) throw new WaitTimeout(what, timeoutMs, last);
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      throw new Error(`stopped while waiting for ${what} (${describe(signal?.reason)})`);
    }
  }
}
