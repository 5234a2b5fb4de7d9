/**
 * The one place that loads `@peculiar/x509`, after the `reflect-metadata` polyfill it
 * needs. Every PKI module imports the library from here, never directly.
 *
 * @module
 */
import "reflect-metadata";
export * as x509 from "@peculiar/x509";
