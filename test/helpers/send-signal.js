'use strict';
// Preloaded with `node -r` by test/cli-process.test.ts: sends the process the signal named by
// RMAPCHECK_TEST_SIGNAL, either while start-up is still under way (RMAPCHECK_TEST_SIGNAL_AT =
// `startup`: the moment bin/rmapcheck.js starts loading cli/main, ts or compiled js) or once
// the command has run for a while (`run`: 1 s after cli/main loaded). A signal sent from outside
// at a guessed moment could arrive before bin/rmapcheck.js installed its handler, or before or
// after the phase the test means; these always arrive where they are meant to.
const Module = require('module');
const signal = process.env.RMAPCHECK_TEST_SIGNAL;
const at = process.env.RMAPCHECK_TEST_SIGNAL_AT;
const load = Module._load;
let sent = false;
Module._load = function (request, ...rest) {
  const isMain = !sent && signal && /cli[\\/]main(\.ts|\.js)?$/.test(request);
  if (isMain) sent = true;
  if (isMain && at === 'startup') process.kill(process.pid, signal);
  const loaded = load.call(this, request, ...rest);
  if (isMain && at === 'run') setTimeout(() => process.kill(process.pid, signal), 1000);
  return loaded;
};
