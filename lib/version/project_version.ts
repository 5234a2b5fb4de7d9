/**
 * The version of this project's source tree; release builds stamp the exact tag.
 *
 * @module
 */

/** Semantic version of the source tree, with the leading "v". */
export const PROJECT_VERSION = "v0.1.0";
