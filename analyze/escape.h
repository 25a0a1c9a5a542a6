/* SPDX-License-Identifier: MIT */
/*
 * All output escaping of ebpf-analyze, one function per output context.
 * Strings from a trace (comm, exe, cmdline, paths, peers) are untrusted
 * bytes: every writer passes them through here and never prints them raw.
 * Each function takes (s, len) so embedded NULs are handled; s may be NULL
 * (treated as empty). They write to f and return 0 or -EIO.
 */
#ifndef ANALYZE_ESCAPE_H
#define ANALYZE_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string per RFC 8259, quotes included. Control characters become
 * \n, \t, ... or \u00XX; invalid UTF-8 becomes U+FFFD; "/" is left alone. */
int ana_esc_json(FILE *f, const char *s, size_t len);

/* One CSV cell per RFC 4180 (always quoted, quotes doubled, written with
 * libcsv). A cell starting with = + - @, TAB or CR gets a leading ' so
 * that spreadsheets do not run it as a formula. Invalid UTF-8 becomes
 * U+FFFD. Numbers are written by the caller, not through this. */
int ana_esc_csv(FILE *f, const char *s, size_t len);

/* A Markdown table cell or inline text (never at a line start): inline
 * markup characters \ ` * _ [ ] | ~ backslash-escaped, < > & as entities,
 * control characters shown as \xNN, invisible ones (bidi, U+2028...) as
 * \u{XXXX}: nothing can end the row or form a link, an image, code or
 * HTML. */
int ana_esc_md(FILE *f, const char *s, size_t len);

/* Terminal/plain text: printable ASCII and valid UTF-8 pass; control
 * characters (C0, DEL, C1), bidi controls, line/paragraph separators,
 * zero-width and other invisible format characters, and invalid bytes are
 * shown as \n, \t, \xNN or \u{XXXX}; a backslash is doubled. No byte of
 * the input can move the cursor, change colors or forge a line. */
int ana_esc_text(FILE *f, const char *s, size_t len);

/* Width in columns of ana_esc_text() output (one per code point). */
size_t ana_esc_text_width(const char *s, size_t len);

/* HTML text content (& < > escaped) and attribute values (also " and ').
 * Invalid UTF-8 and control characters become U+FFFD / numeric refs. */
int ana_esc_html_text(FILE *f, const char *s, size_t len);
int ana_esc_html_attr(FILE *f, const char *s, size_t len);

/* A Prometheus exposition-format label value, without the quotes:
 * backslash, double quote and newline escaped; invalid UTF-8 -> U+FFFD. */
int ana_esc_prom(FILE *f, const char *s, size_t len);

/* JSON text produced by ana_esc_json()/jsonw, made safe inside an HTML
 * <script> element: < > & become \u003c \u003e \u0026 and U+2028/2029
 * become \u2028/\u2029. In valid JSON these bytes occur only inside
 * strings, so the parsed value is unchanged and nothing can close the
 * element or start a comment. */
int ana_esc_json_script(FILE *f, const char *json, size_t len);

/* One frame of a folded stack (flamegraph.pl, inferno, speedscope): ';'
 * (the frame separator) becomes ':', control characters and invalid UTF-8
 * become U+FFFD, so no name can add a frame or a line. */
int ana_esc_folded(FILE *f, const char *s, size_t len);

/*
 * Decodes one UTF-8 sequence at s[0..len): returns its length (1..4) and
 * sets *cp, or 0 for an invalid/overlong/surrogate/truncated sequence
 * (then *cp is the byte). len must be > 0.
 */
size_t ana_utf8_decode(const unsigned char *s, size_t len, unsigned int *cp);

#endif
