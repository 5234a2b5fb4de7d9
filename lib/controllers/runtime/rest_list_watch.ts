/**
 * The REST `ListWatch` now lives in `lib/controller/rest_list_watch.ts`; this path
 * re-exports it for controllers that still import it from here.
 *
 * @module
 */
export { restListWatch, type RestListWatchOptions } from "../../controller/rest_list_watch.ts";
