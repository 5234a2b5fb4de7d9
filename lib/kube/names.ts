/**
 * Kubernetes name validation (apimachinery `util/validation`) and `generateName` suffixes.
 *
 * Every validator returns the list of problems in Kubernetes' own wording; an empty list
 * means the value is valid.
 *
 * @example
 * ```ts
 * validateDns1123Label("my-name"); // []
 * validateDns1123Label("My_Name"); // ["a lowercase RFC 1123 label must consist of …"]
 * validateQualifiedName("example.com/MyName"); // []
 * "web-" + generateNameSuffix(); // "web-x7k2q"
 * ```
 *
 * @module
 */

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** Longest DNS-1123 label. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** Longest DNS-1123 subdomain. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** Longest name part of a qualified name (label key). */
export const QUALIFIED_NAME_MAX_LENGTH = 63;
/** Longest label value. */
export const LABEL_VALUE_MAX_LENGTH = 63;

/** The alphabet of `generateName` suffixes (no vowels, no confusable characters). */
export const GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
/** Length of a `generateName` suffix. */
export const GENERATE_NAME_SUFFIX_LENGTH = 5;

/** `must be no more than N characters`. */
export function maxLengthError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`, like apimachinery's RegexError. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  let s = msg;
  if (examples.length > 0) {
    s += " (e.g. ";
    examples.forEach((e, i) => {
      if (i > 0) s += " or ";
      s += `'${e}', `;
    });
    s += `regex used for validation is '${fmt}')`;
  } else {
    s += ` (regex used for validation is '${fmt}')`;
  }
  return s;
}

/** Validates a DNS-1123 label (namespace names, most resource names of "label" kind). */
export function validateDns1123Label(name: string): string[] {
  const errs: string[] = [];
  if (name.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLengthError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(name)) {
    errs.push(regexError(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
        "and must start and end with an alphanumeric character",
      DNS1123_LABEL_FMT,
      "my-name",
      "123-abc",
    ));
  }
  return errs;
}

/** Validates a DNS-1123 subdomain (the usual object name rule). */
export function validateDns1123Subdomain(name: string): string[] {
  const errs: string[] = [];
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    errs.push(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  }
  if (!DNS1123_SUBDOMAIN_RE.test(name)) {
    errs.push(regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, " +
        "'-' or '.', and must start and end with an alphanumeric character",
      DNS1123_SUBDOMAIN_FMT,
      "example.com",
    ));
  }
  return errs;
}

const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character";

/** Validates a qualified name: `name` or `dns.subdomain/name` (label and annotation keys). */
export function validateQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push("prefix part must be non-empty");
    } else {
      for (const m of validateDns1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
    }
  } else {
    return [
      "a qualified name " +
      regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc") +
      " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) {
    errs.push("name part must be non-empty");
  } else if (name.length > QUALIFIED_NAME_MAX_LENGTH) {
    errs.push(`name part ${maxLengthError(QUALIFIED_NAME_MAX_LENGTH)}`);
  }
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(
      "name part " +
        regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"),
    );
  }
  return errs;
}

/** Validates a label key (a qualified name). */
export function validateLabelKey(key: string): string[] {
  return validateQualifiedName(key);
}

/** Validates a label value: empty, or up to 63 alphanumerics with `-`, `_`, `.` inside. */
export function validateLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLengthError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' " +
        "or '.', and must start and end with an alphanumeric character",
      LABEL_VALUE_FMT,
      "MyValue",
      "my_value",
      "12345",
    ));
  }
  return errs;
}

/**
 * Returns a random `generateName` suffix: 5 characters from `bcdfghjklmnpqrstvwxz2456789`.
 */
export function generateNameSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(GENERATE_NAME_SUFFIX_LENGTH * 2));
  let out = "";
  const n = GENERATE_NAME_ALPHABET.length;
  // Rejection sampling keeps the distribution uniform (256 is not a multiple of 27).
  const limit = 256 - (256 % n);
  let i = 0;
  while (out.length < GENERATE_NAME_SUFFIX_LENGTH) {
    if (i >= bytes.length) {
      crypto.getRandomValues(bytes);
      i = 0;
    }
    const b = bytes[i++];
    if (b < limit) out += GENERATE_NAME_ALPHABET[b % n];
  }
  return out;
}

/**
 * Builds a name from `generateName`: the prefix cut so the result stays within 63 characters
 * (apiserver's `SimpleNameGenerator`), plus a random suffix.
 */
export function generateName(base: string): string {
  const maxBase = DNS1123_LABEL_MAX_LENGTH - GENERATE_NAME_SUFFIX_LENGTH;
  return (base.length > maxBase ? base.slice(0, maxBase) : base) + generateNameSuffix();
}
