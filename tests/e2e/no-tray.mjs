#!/usr/bin/env node
// The app on a desktop without a tray: in a mount namespace of its own, the tray indicator libraries
// (libayatana-appindicator3, libappindicator3) are replaced by /dev/null, so they cannot be loaded, as on a
// system without them. The app must start its window anyway, log that it runs without a tray, and quit
// when the window is closed (Ctrl+W, pressed with xdotool as a person would), starting no tray process.
//
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- node tests/e2e/no-tray.mjs --app target/debug/tributary-app
//
// Needs root (a mount namespace: `unshare --mount`) and xdotool. Ends with `no-tray: passed` or exits 1.

import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const LIBRARIES = ["libayatana-appindicator3.so.1", "libappindicator3.so.1"];
const LIBRARY_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"];
const WAIT_MS = 30_000;

function fail(message) {
  console.log(`no-tray: FAILED: ${message}`);
  process.exit(1);
}

const at = process.argv.indexOf("--app");
if (at < 0 || !process.argv[at + 1]) fail("usage: node tests/e2e/no-tray.mjs --app PATH");
const app = resolve(process.argv[at + 1]);
if (!process.env.DISPLAY) fail("no X display: run it inside xvfb-run -a dbus-run-session -- …");

// The files the sonames resolve to: a bind mount over a symlink lands on its target.
const hidden = [
  ...new Set(
    LIBRARIES.flatMap((name) => LIBRARY_DIRS.map((dir) => join(dir, name)))
      .filter((path) => existsSync(path))
      .map((path) => realpathSync(path)),
  ),
];
if (hidden.length === 0) fail(`none of ${LIBRARIES.join(", ")} is installed: this check hides them, it needs them present`);

const home = mkdtempSync(join(tmpdir(), "tributary-no-tray-home-"));
const data = mkdtempSync(join(tmpdir(), "tributary-no-tray-data-"));
const mounts = hidden.map((path) => `mount --bind /dev/null '${path}'`).join(" && ");
const child = spawn("unshare", ["--mount", "sh", "-c", `${mounts} && exec "$0"`, app], {
  env: { ...process.env, HOME: home, TRIBUTARY_DATA_DIR: data, NO_AT_BRIDGE: "1" },
  stdio: ["ignore", "ignore", "pipe"],
});
let log = "";
child.stderr.on("data", (chunk) => (log += chunk));
const exited = new Promise((done) => child.on("exit", (code, signal) => done({ code, signal })));
const cleanup = () => {
  child.kill("SIGKILL");
  for (const dir of [home, data]) rmSync(dir, { recursive: true, force: true });
};

async function until(what, test) {
  const end = Date.now() + WAIT_MS;
  while (Date.now() < end) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  cleanup();
  fail(`${what} within ${WAIT_MS / 1000} s. The app's log:\n${log}`);
}

let exit = null;
exited.then((e) => (exit = e));
await until("the window's first screen", () => log.includes("window shown:") || exit !== null);
if (exit !== null) fail(`the app exited (${exit.signal ?? `code ${exit.code}`}) before showing its window:\n${log}`);
if (!log.includes("this system has no tray")) {
  cleanup();
  fail(`the app did not log that it runs without a tray (hidden: ${hidden.join(", ")}):\n${log}`);
}

try {
  const window = execFileSync("xdotool", ["search", "--sync", "--name", "^Tributary$"], { timeout: WAIT_MS }).toString().trim().split("\n")[0];
  execFileSync("xdotool", ["windowfocus", "--sync", window, "key", "ctrl+w"], { timeout: WAIT_MS });
} catch (e) {
  cleanup();
  fail(`could not press Ctrl+W in the window: ${e.message}`);
}
await until("the app to quit after Ctrl+W (without a tray, closing the window quits)", () => exit !== null);
const trayPid = join(data, "tray.pid");
const trayLeft = existsSync(trayPid) && readFileSync(trayPid, "utf8").trim();
cleanup();
if (exit.code !== 0) fail(`the app quit with ${exit.signal ?? `code ${exit.code}`}:\n${log}`);
if (trayLeft && existsSync(`/proc/${trayLeft}`)) fail(`a tray process (pid ${trayLeft}) was started on a system without a tray`);
console.log(`no-tray: passed (hidden: ${hidden.join(", ")}; the window opened, the app logged it has no tray and quit on Ctrl+W)`);
