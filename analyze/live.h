/* SPDX-License-Identifier: MIT */
/*
 * `ebpf-analyze --follow TRACE [--listen ADDR:PORT]`: analysis of a trace
 * while the recorder writes it, with the Prometheus exposition of the
 * figures so far served on /metrics and/or rewritten into the
 * `--report prometheus -o FILE` textfile, and `--listen` on finished traces.
 */
#ifndef ANALYZE_LIVE_H
#define ANALYZE_LIVE_H

#include <stdbool.h>

#include "analyze/opts.h"

struct ana_engine;

/* Whether o asks for this mode (--follow or --listen). */
bool ana_live_wanted(const struct ana_opts *o);

/*
 * Follows o->inputs[0] chunk by chunk (--follow; waits for the file to
 * appear) until the recorder's footer or SIGINT/SIGTERM, or reads every
 * input at once (--listen alone), publishing snapshots as it goes; then
 * finishes the engine, publishes the final figures and keeps serving them
 * for --linger seconds (without --follow: until SIGINT/SIGTERM). Hands the
 * finished engine back in *out (the caller frees it) for the usual report.
 * 0, or -errno: -EINVAL bad --listen address, -EADDRINUSE/-EACCES cannot
 * listen, -ENOENT/-EBADMSG/-ENOTSUP cannot read the trace, -ENOMEM, -EIO.
 */
int ana_live_analyze(const struct ana_opts *o, struct ana_engine **out);

#endif
