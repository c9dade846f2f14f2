/**
 * Claims: statistics, the one verdict rule, the report's claims, and their sentences.
 *
 * @module
 */
export { runsGrid } from "./claim_latent.ts";
export { allClaims, claimsMarkdown, claimsTable, writeClaims } from "./claims.ts";
export { curveVerdict, learningCurveChart } from "./learning_curve_verdict.ts";
export { provenanceRows } from "./provenance.ts";
export {
  clippingSentence,
  REPORT_TEST_MSE,
  reportComparison,
  reportMetrics,
  scheduleVerdict,
} from "./words.ts";
