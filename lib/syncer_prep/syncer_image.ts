/**
 * The project's default syncer image, kept apart from `syncer_identity.ts` (which needs
 * `node:crypto`) so the argument parser of `prep-for-syncer` stays light.
 *
 * @module
 */
import { PROJECT_VERSION } from "../version/project_version.ts";

/** The image the WEC manifest runs by default (built from `images/syncer.Dockerfile`). */
export const DEFAULT_SYNCER_IMAGE =
  `ghcr.io/kubestellar/kubestellar-deno-syncer:${PROJECT_VERSION}`;
