/** How `conform` reports the build it ran (both modes, cli/conform.ts and cli/conform-concurrent.ts). */
import type { ConformBuild } from '../checker/conform/build';
/** The build as both modes report it: the JSON `build` field and the lines of the text (the
 *  command, cached or compiled, and the first compiler warning). */
export function describeBuild(build: ConformBuild): { json: { cc: string; flags: readonly string[]; hash: string; cached: boolean; warnings: number }; lines: string[] } {
  const warnings = build.warnings.split('\n').filter((l) => /warning:/.test(l));
  return {
    json: { cc: build.cc, flags: build.userFlags, hash: build.hash, cached: build.cached, warnings: warnings.length },
    lines: [
      `build: ${build.cc} ${build.userFlags.join(' ')} (${build.cached ? 'cached' : 'compiled'}, content hash ${build.hash.slice(0, 12)})`,
      ...(warnings.length ? [`compiler warnings: ${warnings.length} (first: ${warnings[0].trim()})`] : []),
    ],
  };
}
