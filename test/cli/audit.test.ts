import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_DIR } from "../helpers/paths.js";

/**
 * scripts/audit.sh against a registry on loopback that plays each answer a real one can give:
 * refusing the audit endpoint, a clean report, a high advisory in a production dependency, and one
 * in a dev dependency only. npm itself runs the audit; only the registry is ours.
 */
type Mode = "refuse" | "clean" | "prod-high" | "dev-high";

let mode: Mode = "clean";
let server: http.Server;
let registry: string;
let cache: string;

const lock = JSON.parse(await fs.readFile(path.join(REPO_DIR, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string }>;
};
const zodVersion = lock.packages["node_modules/zod"]!.version!;
const vitestVersion = lock.packages["node_modules/vitest"]!.version!;

function advisory(name: string, version: string): object {
  return {
    [name]: [
      {
        id: 1,
        url: "http://127.0.0.1/advisory/1",
        title: `Test advisory in ${name}`,
        severity: "high",
        vulnerable_versions: `<=${version}`,
        cwe: [],
        cvss: { score: 7.5, vectorString: null },
      },
    ],
  };
}

function packument(name: string, version: string): object {
  return {
    name,
    "dist-tags": { latest: version },
    versions: { [version]: { name, version, dist: { tarball: "http://127.0.0.1/none.tgz" } } },
  };
}

beforeAll(async () => {
  cache = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-audit-cache-"));
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = decodeURIComponent(req.url ?? "");
      if (url.startsWith("/-/npm/v1/security/")) {
        if (mode === "refuse") {
          res.writeHead(405, { allow: "GET,HEAD" }).end();
          return;
        }
        const body =
          mode === "prod-high"
            ? advisory("zod", zodVersion)
            : mode === "dev-high"
              ? advisory("vitest", vitestVersion)
              : {};
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
        return;
      }
      if (url === "/zod") return void res.end(JSON.stringify(packument("zod", zodVersion)));
      if (url === "/vitest")
        return void res.end(JSON.stringify(packument("vitest", vitestVersion)));
      res.writeHead(404).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(cache, { recursive: true, force: true });
});

function audit(): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      [path.join(REPO_DIR, "scripts", "audit.sh")],
      {
        cwd: REPO_DIR,
        env: { ...process.env, npm_config_registry: registry, npm_config_cache: cache },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? ((error.code as number | undefined) ?? 1) : 0 }),
    );
  });
}

describe("scripts/audit.sh", () => {
  it("says the audit was not run when the registry refuses it, and never reports a pass", async () => {
    mode = "refuse";
    const r = await audit();
    expect(r.stdout).toMatch(/^audit not run: the registry refused it \(HTTP 405/m);
    expect(r.stdout + r.stderr).not.toMatch(/no high or critical/);
    expect(r.code).toBe(0);
  });

  it("passes, saying it audited, when the registry finds nothing", async () => {
    mode = "clean";
    const r = await audit();
    expect(r.stdout).toMatch(/audited the production dependencies, no high or critical advisories/);
    expect(r.code).toBe(0);
  });

  it("fails on a high advisory in a production dependency", async () => {
    mode = "prod-high";
    const r = await audit();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/high or critical advisories in production dependencies/);
    expect(r.stderr).toMatch(/zod/);
  });

  it("passes when the only advisory is in a dev dependency", async () => {
    mode = "dev-high";
    const r = await audit();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/audited the production dependencies/);
  });
});
