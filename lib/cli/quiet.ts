/**
 * First import of every entry point: silences Node deprecation warnings that npm
 * dependencies (client-node's punycode use) would otherwise print on every run.
 *
 * @module
 */
import process from "node:process";

(process as unknown as { noDeprecation: boolean }).noDeprecation = true;
