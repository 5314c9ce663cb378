import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The env file .ci/vulkan.sh writes. */
export const VULKAN_ENV_FILE = path.join(process.env.GRAFT_VULKAN_DIR ?? path.join(REPO, '.cache/vulkan'), 'env.sh');

/** `export NAME='value'` lines of the env file (the LD_LIBRARY_PATH suffix that appends the old value is dropped). */
function readEnvFile(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export (\w+)='?([^'$]*)'?/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}

/**
 * Which Vulkan driver the GPU tests run on: the one the environment names (VK_ICD_FILENAMES, e.g. after
 * `. .cache/vulkan/env.sh`), else the one in .ci/vulkan.sh's env file, applied to this process (the Vulkan
 * loader reads VK_ICD_FILENAMES when Dawn starts) unless it needs LD_LIBRARY_PATH. Null when there is none:
 * the GPU tests then skip.
 */
export function findVulkanDriver(): string | null {
  const named = process.env.VK_ICD_FILENAMES;
  if (named) return existsSync(named) ? named : null;
  if (!existsSync(VULKAN_ENV_FILE)) return null;
  const vars = readEnvFile(VULKAN_ENV_FILE);
  if (!vars.VK_ICD_FILENAMES || !existsSync(vars.VK_ICD_FILENAMES)) return null;
  if (
    vars.GRAFT_VULKAN_NEEDS_LIBRARY_PATH === '1' &&
    !process.env.LD_LIBRARY_PATH?.includes(vars.LD_LIBRARY_PATH ?? '')
  ) {
    // The dynamic linker reads LD_LIBRARY_PATH only when the process starts: too late to set it here.
    console.warn(
      `[backend-webgpu] the driver in ${VULKAN_ENV_FILE} needs its LD_LIBRARY_PATH: source that file before vitest`,
    );
    return null;
  }
  process.env.VK_ICD_FILENAMES = vars.VK_ICD_FILENAMES;
  process.env.MESA_SHADER_CACHE_DIR ??= vars.MESA_SHADER_CACHE_DIR;
  return vars.VK_ICD_FILENAMES;
}
