/**
 * Claims: statistics, the one verdict rule, the report's claims, and their sentences.
 *
 * @module
 */
export { allClaims, claimsMarkdown, claimsTable, writeClaims } from "./claims_summary.ts";
export { curveVerdict, learningCurveChart } from "./learning_curve_verdict.ts";
export { provenanceRows } from "./provenance.ts";
export { reportMetrics } from "./run_claims.ts";
export { runsGrid } from "./runs_grid.ts";
export {
  clippingSentence,
  fullProtocolSentence,
  hardClassesVerdict,
  profileLine,
  REPORT_TEST_MSE,
  reportComparison,
  scheduleVerdict,
  typicalityVerdict,
} from "./words.ts";
