// Bundles the bot, its index worker and the bench into dist/ (esbuild; packages stay external).
// `npm start` runs the bundle with plain node: no TypeScript loader at start-up.
//   npm run build
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildBundles } from "../src/build.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputs = await buildBundles(path.join(root, "dist"));
if (process.argv.includes("--verbose")) process.stdout.write(`${outputs.join("\n")}\n`);
