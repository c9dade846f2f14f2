/**
 * Claims: statistics, the one verdict rule (verdict.ts), the report's claims, and the one
 * module that turns numbers into sentences (words.ts).
 *
 * @module
 */
export { allClaims, claimsMarkdown, claimsTable, writeClaims } from "./claims_summary.ts";
export { curveVerdict, learningCurveChart } from "./learning_curve_verdict.ts";
export { provenanceRows } from "./provenance.ts";
export { REPORT_TEST_MSE, reportMetrics, typicality } from "./run_claims.ts";
export {
  classAverages,
  classCounts,
  classErrors,
  denseComparison,
  extremes,
  logHtml,
  noiseDamage,
  noiseFactorSentence,
  noiseFactorTable,
  picksOfClasses,
  representationFlow,
  runFiles,
  runsGrid,
  TRIPLE_LABELS,
  tripleRows,
} from "./summaries.ts";
export {
  architectureSentence,
  claimText,
  clippingSentence,
  datasetSentence,
  fullProtocolSentence,
  hardClassesVerdict,
  notebookSweepSentence,
  parameterSentence,
  profileLine,
  reportComparison,
  runSentence,
  scheduleVerdict,
  sweepSentence,
} from "./words.ts";
