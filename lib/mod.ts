/**
 * What the notebooks use, by name. Each layer is a folder with its own `mod.ts`; the commands
 * live in `tools/`, and nothing here imports from there.
 *
 * @module
 */
export {
  allClaims,
  claimsTable,
  clippingSentence,
  curveVerdict,
  learningCurveChart,
  provenanceRows,
  REPORT_TEST_MSE,
  reportComparison,
  reportMetrics,
  runsGrid,
  scheduleVerdict,
  writeClaims,
} from "./claims/mod.ts";
export { addNoise, classNames, type Images, loadDataset, pickSamples, take } from "./data/mod.ts";
export {
  bestClassicalDenoiser,
  classAverages,
  classMse,
  encodeImages,
  latentScatter,
  latentSweep,
  mse,
  msePerImage,
  pca,
  project,
  typicality,
  typicalityControl,
} from "./eval/mod.ts";
export {
  barChart,
  formatLearningRate,
  histogramChart,
  imageGridHtml,
  imageGridPng,
  lossChart,
  metricChart,
  pngImgHtml,
  sweepChart,
} from "./figures/mod.ts";
export {
  html,
  noiseFactorSweep,
  type NotebookParams,
  notebookSettings,
  notebookSweep,
  settingsTable,
  setupLine,
  show,
  showClaim,
  sweepSettingsTable,
  sweepSetupLine,
  table,
} from "./notebook.ts";
export { denseComparison, layerTable, representationFlow } from "./model/mod.ts";
export {
  buildModel,
  denoisingMetrics,
  ensureRun,
  findFullProtocolRun,
  loadRunModel,
  predictWithRun,
  prepareData,
} from "./runs/mod.ts";
export {
  biasCorrectionTable,
  curveSizes,
  ensureSweep,
  type LearningCurve,
  learningCurve,
  noiseFactorTable,
} from "./sweep/mod.ts";
export { markdown } from "./text.ts";
export { formatDuration, logHtml, notebookProgress, selectBackend } from "./train/mod.ts";
