// SPDX-License-Identifier: MIT
/* The loadgen summary, as text for people and JSON for tests. */
#include "samples/loadgen/loadgen.h"

static double ms(uint64_t ns)
{
	return ns / 1e6;
}

static double rate(const struct lg_result *r)
{
	return r->elapsed_ns ? r->ok * 1e9 / r->elapsed_ns : 0;
}

void lg_print_text(const struct lg_opts *o, const struct lg_result *r, FILE *f)
{
	uint32_t k;

	fprintf(f, "requests sent   %llu\n", (unsigned long long)r->sent);
	fprintf(f, "responses ok    %llu\n", (unsigned long long)r->ok);
	fprintf(f, "errors          %llu\n", (unsigned long long)r->errors);
	fprintf(f, "duration        %.2f s, %u connections, %.1f req/s\n",
		r->elapsed_ns / 1e9, o->connections, rate(r));
	fprintf(f, "latency ms      p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
		ms(lg_quantile(r, 0.50)), ms(lg_quantile(r, 0.90)),
		ms(lg_quantile(r, 0.99)), ms(lg_quantile(r, 1.0)));
	fprintf(f, "classes        ");
	for (k = 0; k < o->n_classes; k++)
		fprintf(f, " %s %llu", o->classes[k].name, (unsigned long long)r->per_class[k]);
	fputc('\n', f);
}

void lg_print_json(const struct lg_opts *o, const struct lg_result *r, FILE *f)
{
	uint64_t sum = 0, i;
	uint32_t k;

	for (i = 0; i < r->n_lat; i++)
		sum += r->lat_ns[i];
	fprintf(f, "{\"requests\":%llu,\"ok\":%llu,\"errors\":%llu,\"reconnects\":%llu,"
		"\"connections\":%u,\"duration_ns\":%llu,\"rps\":%.1f,\n",
		(unsigned long long)r->sent, (unsigned long long)r->ok,
		(unsigned long long)r->errors, (unsigned long long)r->reconnects,
		o->connections, (unsigned long long)r->elapsed_ns, rate(r));
	fprintf(f, " \"latency_ns\":{\"count\":%llu,\"mean\":%llu,\"p50\":%llu,\"p90\":%llu,"
		"\"p99\":%llu,\"max\":%llu},\n",
		(unsigned long long)r->n_lat,
		(unsigned long long)(r->n_lat ? sum / r->n_lat : 0),
		(unsigned long long)lg_quantile(r, 0.50),
		(unsigned long long)lg_quantile(r, 0.90),
		(unsigned long long)lg_quantile(r, 0.99),
		(unsigned long long)lg_quantile(r, 1.0));
	fprintf(f, " \"classes\":{");
	for (k = 0; k < o->n_classes; k++)
		fprintf(f, "%s\"%s\":%llu", k ? "," : "", o->classes[k].name,
			(unsigned long long)r->per_class[k]);
	fprintf(f, "}}\n");
}
