/**
 * Figures: Observable Plot charts, image grids and the live demo.
 *
 * @module
 */
export { barChart, formatLearningRate, histogramChart, lossChart, metricChart } from "./charts.ts";
export { imageGridHtml, imageGridPng, pngImgHtml } from "./image_grid.ts";
export { sweepChart } from "./sweep_chart.ts";
