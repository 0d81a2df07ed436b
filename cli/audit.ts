/**
 * `audit`: the full default verification, run by `npm start`. For now: prove every order of
 * wip-v1, check the series' numeric claims, write traces for every refutation.
 */
import { WIP_V1 } from '../model/scheme';
import { runProve, renderProve, proveExitCode } from './report-prove';

export function runAudit(outDir: string, force: boolean) {
  const started = process.hrtime.bigint();
  const prove = runProve(WIP_V1, undefined, outDir, force);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failedClaims = prove.claims.filter((c) => !c.holds).length;
  const refuted = prove.orders.filter((o) => o.verdict === 'refuted').map((o) => o.order);
  const exitCode = Math.max(proveExitCode(prove), failedClaims > 0 ? 1 : 0);
  const summary = [
    '',
    `Summary: ${prove.orders.length} orders decided (${refuted.length} refuted${refuted.length ? ': ' + refuted.join(', ') : ''}); ` +
      `${prove.claims.length - failedClaims} of ${prove.claims.length} claims hold; ${seconds.toFixed(2)} s.`,
    exitCode === 0 ? 'Nothing wrong found.' : 'Findings above (exit code 1): each refutation has a trace to replay.',
  ];
  return {
    json: { prove, seconds },
    text: ['rmapcheck audit', '===============', '', renderProve(prove), ...summary].join('\n'),
    exitCode,
  };
}
