import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The kernel's source. */
export const KERNEL_SOURCE_PATH = fileURLToPath(new URL("kernel.wat", import.meta.url));
/** The module that holds the assembled kernel. */
export const KERNEL_MODULE_PATH = fileURLToPath(new URL("kernel-wasm.ts", import.meta.url));

/**
 * Assembles kernel.wat with wabt (a development dependency: only the build script and the tests
 * call this). Throws when the source does not assemble or validate.
 */
export async function assembleKernel(): Promise<Uint8Array> {
  const { default: initWabt } = await import("wabt");
  const wabt = await initWabt();
  const parsed = wabt.parseWat("kernel.wat", await readFile(KERNEL_SOURCE_PATH, "utf8"), {
    simd: true,
  });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}
