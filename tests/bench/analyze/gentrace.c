// SPDX-License-Identifier: MIT
/*
 * ana-gentrace: writes a generated trace with known answers for the e2e
 * cases. Usage: ana-gentrace random|evloop|threads N OUT.ebt
 * (N events for random, N requests for the servers). Prints the expected
 * numbers as "key value" lines.
 */
#include <stdio.h>
#include <string.h>

#include "common/parse.h"
#include "tests/unit/analyze/gen.h"

int main(int argc, char **argv)
{
	struct gen_opts g = { .seed = 1, .threads = 4 };
	struct gen_truth t;
	uint64_t n;
	int err;

	if (argc != 4 || parse_u64(argv[2], 1, 100000000, &n)) {
		fprintf(stderr, "usage: ana-gentrace random|evloop|threads N OUT.ebt\n");
		return 2;
	}
	if (!strcmp(argv[1], "evloop"))
		g.kind = GEN_EVLOOP;
	else if (!strcmp(argv[1], "threads"))
		g.kind = GEN_THREADS;
	else if (strcmp(argv[1], "random"))
		return 2;
	g.events = n;
	g.requests = (uint32_t)n;
	err = gen_trace(argv[3], &g, &t);
	if (err) {
		fprintf(stderr, "ana-gentrace: cannot write %s: %d\n", argv[3], err);
		return 1;
	}
	printf("events %llu\nrequests %llu\n", (unsigned long long)t.events,
	       (unsigned long long)t.requests);
	gen_truth_free(&t);
	return 0;
}
