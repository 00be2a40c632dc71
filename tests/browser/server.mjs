// The built site served as it is deployed: Debian's Caddy with deploy/Caddyfile (precompressed
// files, caching headers, the Content-Security-Policy header with frame-ancestors), bound to
// 127.0.0.1 on a free port. The browser tests start and stop it themselves.
import { execFileSync, spawn } from "node:child_process";
import { resolve } from "node:path";
import { freePort } from "../real/servers.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

/** What deploy/Caddyfile needs for a built site (scripts/host-env.sh: the dist path and its policy). */
export function hostEnv(root) {
  const text = execFileSync(resolve(ROOT, "scripts/host-env.sh"), [resolve(root)], { encoding: "utf8" });
  return Object.fromEntries(text.trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/**
 * Serves `root` through Caddy until `close()` is called; resolves to { url, requests, track,
 * close }. `prefix` hosts it under a path (a site built with --public-url), `frameAncestors` sets
 * who may frame it. `track(context)` records the path of every request the browser makes.
 */
export async function serveDist(root = "dist", { prefix = "/", frameAncestors } = {}) {
  const port = await freePort();
  const env = { ...process.env, ...hostEnv(root), POOLCALC_ADDRESS: `127.0.0.1:${port}`, POOLCALC_PREFIX: prefix };
  if (frameAncestors) env.POOLCALC_FRAME_ANCESTORS = frameAncestors;
  else delete env.POOLCALC_FRAME_ANCESTORS;
  const child = spawn("caddy", ["run", "--config", resolve(ROOT, "deploy/Caddyfile"), "--adapter", "caddyfile"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((r) => child.on("exit", r));
  const url = `http://127.0.0.1:${port}${prefix}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`caddy exited:\n${output}`);
    try {
      await fetch(url);
      break;
    } catch {
      if (i > 150) throw new Error(`caddy did not answer on ${url}:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const requests = [];
  return {
    url,
    port,
    requests,
    output: () => output,
    track(context) {
      context.on("request", (r) => requests.push(decodeURIComponent(new URL(r.url()).pathname)));
    },
    async close() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}
