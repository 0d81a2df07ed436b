// vitest's globalSetup (vitest.config.mts): builds dist/ before any test file runs, since many tests
// spawn `node bin/rmapcheck.js`, which runs dist/ only; so `npm test` and a single
// `npx vitest run test/x.test.ts` after an edit both test the sources as they are. Incremental
// (scripts/build.js): about half a second when nothing changed. In watch mode, again before every
// rerun.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./build.js', import.meta.url));

function build() {
  // a child process: the TypeScript compiler stays out of vitest's own memory
  execFileSync(process.execPath, [script, '--allow-type-errors', '--quiet'], { stdio: 'inherit' });
}

export default function setup(project) {
  build();
  project?.onTestsRerun?.(build);
}
