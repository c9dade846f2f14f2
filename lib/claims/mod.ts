/**
 * Claims: statistics, the one verdict rule (verdict.ts), the report's claims, and the sentences that carry numbers.
 *
 * @module
 */
export { claimNoiseRobustness } from "./claims.ts";
export { allClaims, CLAIM_KEYS, CLAIM_TITLES, claimsTable } from "./claims_summary.ts";
export {
  type CurveVerdict,
  curveVerdict,
  learningCurveChart,
  type SizeVerdict,
} from "./learning_curve_verdict.ts";
export { provenanceRows } from "./provenance.ts";
export {
  fullProtocolSentence,
  hardClassesVerdict,
  REPORT_TEST_MSE,
  reportComparison,
  reportMetrics,
  scheduleVerdict,
  typicality,
} from "./run_claims.ts";
export {
  architectureSentence,
  classAverages,
  classCounts,
  classErrors,
  clippingSentence,
  datasetSentence,
  denseComparison,
  extremes,
  logHtml,
  noiseDamage,
  noiseFactorSentence,
  noiseFactorTable,
  parameterSentence,
  picksOfClasses,
  representationFlow,
  runFiles,
  runSentence,
  runsGrid,
  TRIPLE_LABELS,
  tripleRows,
} from "./summaries.ts";
