// The desktop panel's tray, stood in for by `tributary-standins panel` (crates/standins/src/panel):
// it takes org.kde.StatusNotifierWatcher on the run's session bus before the app starts, so both of
// Tributary's tray icons register with it, and it reads their menus and clicks them over DBusMenu,
// as GNOME's, KDE's or XFCE's panel does. One command line in, one JSON line out.
import { spawn } from "node:child_process";

export class Panel {
  /** Starts the stand-in and waits until it holds the watcher's name. */
  static async start(binary) {
    const child = spawn(binary, ["panel"], { stdio: ["pipe", "pipe", "inherit"] });
    const panel = new Panel(child);
    const ready = await panel.#next(10_000, "the panel stand-in to take org.kde.StatusNotifierWatcher");
    if (!ready.ready) throw new Error(`the panel stand-in said ${JSON.stringify(ready)}`);
    return panel;
  }

  #child;
  #buffer = "";
  #waiting = [];
  #lines = [];
  #ended = null;
  /** Commands go one at a time: each answer is the next line. */
  #queue = Promise.resolve();

  constructor(child) {
    this.#child = child;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      this.#buffer += chunk;
      let at;
      while ((at = this.#buffer.indexOf("\n")) >= 0) {
        const line = this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.slice(at + 1);
        const waiter = this.#waiting.shift();
        if (waiter) waiter.done(line);
        else this.#lines.push(line);
      }
    });
    const end = (why) => {
      this.#ended = why;
      for (const w of this.#waiting.splice(0)) w.refuse(new Error(`the panel stand-in ${why}`));
    };
    child.on("error", (e) => end(`could not start: ${e.message} (build it: cargo build -p tributary-standins)`));
    child.on("exit", (code, signal) => end(`exited (${signal ?? `code ${code}`})`));
  }

  #next(timeoutMs, what) {
    if (this.#lines.length) return Promise.resolve(JSON.parse(this.#lines.shift()));
    if (this.#ended) return Promise.reject(new Error(`the panel stand-in ${this.#ended}`));
    return new Promise((done, refuse) => {
      const timer = setTimeout(() => refuse(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)), timeoutMs);
      this.#waiting.push({
        done: (line) => {
          clearTimeout(timer);
          try {
            done(JSON.parse(line));
          } catch (e) {
            refuse(new Error(`the panel stand-in wrote ${line}: ${e.message}`));
          }
        },
        refuse: (e) => {
          clearTimeout(timer);
          refuse(e);
        },
      });
    });
  }

  #ask(line) {
    const answer = this.#queue.then(() => {
      this.#child.stdin.write(`${line}\n`);
      return this.#next(15_000, `the panel's answer to "${line}"`);
    });
    this.#queue = answer.catch(() => {});
    return answer;
  }

  /** The tray icons registered now, each with its menu (`[{pid, menu: [{label, enabled, checked, separator}]}]`). */
  async items() {
    return (await this.#ask("items")).items;
  }

  /** The icon owned by process `pid`, or undefined. */
  async itemOf(pid) {
    return (await this.items()).find((item) => item.pid === pid);
  }

  /** Clicks the entry labelled `label` in the menu of `pid`'s icon; throws with the panel's reason. */
  async click(pid, label) {
    const answer = await this.#ask(`click ${pid} ${label}`);
    if (answer.error) throw new Error(`clicking "${label}" in the tray menu: ${answer.error}`);
    return answer;
  }

  stop() {
    this.#child.stdin.end();
    this.#child.kill();
  }
}

/** A menu's entries as a person reads them: labels in order, separators as "—", disabled in (…), ticks as ✓. */
export function menuWords(item) {
  return (item?.menu ?? [])
    .filter((e) => e.visible)
    .map((e) => (e.separator ? "—" : `${e.checked ? "✓ " : ""}${e.enabled ? e.label : `(${e.label})`}`))
    .join(" | ");
}
