// Starting and stopping tauri-driver (which starts WebKitWebDriver, which starts the application) as
// one process group, so that everything it started can be ended by the group's id, even when a step
// fails or the run is interrupted.

import { spawn } from "node:child_process";
import { createWriteStream, existsSync, accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The executable `name` on PATH, else in $CARGO_HOME/bin or ~/.cargo/bin; null if none. */
export function findExecutable(name) {
  if (name.includes("/")) return existsSync(name) ? name : null;
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  dirs.push(join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "bin"));
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The environment the driver (and so the application) runs with: the caller's, plus `extra`, with
 * CARGO_HOME and RUSTUP_HOME pinned to the real home's before HOME is changed. */
export function driverEnv(extra) {
  const home = homedir();
  return {
    ...process.env,
    CARGO_HOME: process.env.CARGO_HOME ?? join(home, ".cargo"),
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(home, ".rustup"),
    ...extra,
  };
}

/**
 * Starts tauri-driver on free ports. Returns { url, pid, exited(), output(), stop() }.
 * `logFile`: where its stdout/stderr (and WebKitWebDriver's, and the application's stderr) go.
 */
export async function startDriver({ driver, nativeDriver, env, logFile, log = () => {} }) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const args = ["--port", String(port), "--native-port", String(nativePort), "--native-driver", nativeDriver];
  log(`starting ${driver} ${args.join(" ")}`);
  // detached: a process group of its own (its id = the child's pid), which WebKitWebDriver and the
  // application it launches join.
  const child = spawn(driver, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const file = logFile ? createWriteStream(logFile) : null;
  const tail = [];
  let exit = null;
  const keep = (chunk) => {
    file?.write(chunk);
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const spawned = new Promise((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  child.once("exit", (code, signal) => {
    exit = { code, signal };
    log(`tauri-driver exited (${signal ?? `code ${code}`})`);
  });
  await spawned;
  const pgid = child.pid;

  const groupAlive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (e) {
      return e.code === "EPERM";
    }
  };

  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (!groupAlive()) return "already gone";
      try {
        process.kill(-pgid, "SIGTERM");
      } catch {
        // gone between the check and the kill
      }
      for (let i = 0; i < 30 && groupAlive(); i++) await sleep(100);
      if (groupAlive()) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // gone
        }
        for (let i = 0; i < 20 && groupAlive(); i++) await sleep(100);
        return groupAlive() ? `process group ${pgid} still alive after SIGKILL` : "killed (SIGKILL)";
      }
      return "stopped (SIGTERM)";
    })().finally(() => file?.end());
    return stopping;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    pid: pgid,
    exited: () => exit,
    output: () => tail.join("\n"),
    stop,
    /** Synchronous last resort (process exit handlers): SIGKILL the whole group. */
    killNow: () => {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // gone
      }
    },
  };
}
