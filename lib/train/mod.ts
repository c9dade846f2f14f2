/**
 * Training: the one loop and its step, ReduceLROnPlateau, checkpoints, progress and log lines, the backend.
 *
 * @module
 */
export { selectBackend } from "./backend.ts";
export { formatDuration, logHtml, notebookProgress } from "./log.ts";
