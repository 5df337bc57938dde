export { renderManifests, DEFAULT_RENDER_MAX_OUTPUT_BYTES, DEFAULT_RENDER_TIMEOUT_MS } from './renderManifests.js';
export { readRenderInputs, ROOT_MARKERS } from './readRenderInputs.js';
export { readGitRenderInputs } from './readGitRenderInputs.js';
export { isRenderInput } from './isRenderInput.js';
export { skippedObjects } from './skippedObjects.js';
export { helmTemplateArgs } from './helmTemplate.js';
export { kustomizeArgs } from './kustomizeBuild.js';
export type * from './types.js';
