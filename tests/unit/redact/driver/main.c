// SPDX-License-Identifier: MIT
/* redact-driver ARGS...: `ebpf-analyze redact ARGS...` without the rest of
 * ebpf-analyze, for tests (and for trees where the verb is not registered). */
#include "analyze/redact.h"

#include "common/log.h"

int main(int argc, char **argv)
{
	log_init("ebpf-analyze", LOG_WARN);
	return ana_redact_main(argc, argv);
}
