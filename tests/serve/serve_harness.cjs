// For the JS tests of `forge serve`: the pinned npm packages, a tiny checkpoint made with
// tests/serve/tiny-chat.yaml, and a server on a free port.
//   node TEST.cjs FORGE_EXECUTABLE
"use strict";
const assert = require("node:assert/strict");
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repo = path.resolve(__dirname, "../..");
const modules = path.join(process.env.FORGE_CACHE || path.join(repo, ".cache"), "serve-js",
                          "node_modules");

// A pinned package; missing is a failure that says how to install it, never a skip.
function requirePackage(name) {
  try {
    return require(path.join(modules, name));
  } catch (error) {
    console.error(`${name} is not installed in ${modules} (${error.message}); run ` +
                  "tests/serve/install-js-packages.sh (scripts/dev.sh test does)");
    process.exit(1);
  }
}

function forgeExecutable() {
  const forge = process.argv[2];
  if (!forge || !fs.existsSync(forge)) {
    console.error(`usage: node ${path.basename(process.argv[1])} FORGE_EXECUTABLE (got '${forge}')`);
    process.exit(2);
  }
  return forge;
}

// Trains tests/serve/tiny-chat.yaml for its two steps and returns the checkpoint.
function tinyCheckpoint(forge) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forge-serve-js-"));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const run = spawnSync(forge, ["run", path.join(__dirname, "tiny-chat.yaml"), "--run-dir",
                                path.join(dir, "run")], { cwd: dir, encoding: "utf8" });
  assert.equal(run.status, 0, `forge run failed:\n${run.stdout}${run.stderr}`);
  const file = path.join(dir, "run", "checkpoints", "step-00000002.h5");
  assert.ok(fs.existsSync(file), `no checkpoint at ${file}`);
  return file;
}

// Starts `forge serve CHECKPOINT --port 0 ...` and resolves once it says where it listens.
function startServer(forge, checkpoint, extra = []) {
  const child = spawn(forge, ["serve", checkpoint, "--port", "0", ...extra],
                      { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const collect = (data) => { log += data; };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`forge serve did not start:\n${log}`)), 60000);
    const check = () => {
      const match = log.match(/at http:\/\/127\.0\.0\.1:(\d+)\//);
      if (!match) return;
      clearTimeout(timer);
      child.stderr.off("data", check);
      const server = {
        url: `http://127.0.0.1:${match[1]}`,
        log: () => log,
        // SIGTERM, then the exit code.
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.once("exit", (code, signal) => done(code === null ? signal : code));
          child.kill("SIGTERM");
        }),
      };
      resolve(server);
    };
    child.stderr.on("data", check);
    child.once("exit", (code) => reject(new Error(`forge serve exited with ${code}:\n${log}`)));
  });
}

// Runs `body(server)` against a fresh server and checks that SIGTERM stops it with code 0.
async function withServer(body, extra = []) {
  const forge = forgeExecutable();
  const server = await startServer(forge, tinyCheckpoint(forge), extra);
  try {
    await body(server);
  } catch (error) {
    console.error(`server log:\n${server.log()}`);
    await server.stop();
    throw error;
  }
  const code = await server.stop();
  assert.equal(code, 0, `forge serve exited with ${code} on SIGTERM:\n${server.log()}`);
}

function main(body) {
  body().then(() => console.log("ok"), (error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { requirePackage, withServer, main };
