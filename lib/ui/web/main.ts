/// <reference lib="dom" />
/**
 * The page's entry: renders the app and opens the live connection. Bundled offline
 * with Preact and htm into `lib/ui/ui_assets.ts` by `scripts/embed_ui.ts`.
 *
 * @module
 */
import { render } from "preact";
import { App } from "./app.ts";
import { connect } from "./live.ts";
import { html } from "./widgets.ts";

connect();
render(html`<${App} />`, document.getElementById("app")!);
