// SPDX-License-Identifier: MIT
#include "analyze/units.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *ana_fmt_ns(char *buf, size_t len, uint64_t ns)
{
	double v = (double)ns;

	if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.3g us", v / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.3g ms", v / 1e6);
	else if (ns < 3600000000000ull)
		snprintf(buf, len, "%.3g s", v / 1e9);
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(ns / 3600000000000ull),
			 (unsigned long long)(ns / 60000000000ull % 60));
	return buf;
}

const char *ana_fmt_count(char *buf, size_t len, uint64_t n)
{
	char tmp[32];
	size_t d, o = 0;
	int k;

	k = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)n);
	for (d = 0; d < (size_t)k && o + 2 < len; d++) {
		if (d && ((size_t)k - d) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[d];
	}
	buf[o] = 0;
	return buf;
}

const char *ana_fmt_wall(char *buf, size_t len, uint64_t wall_ns)
{
	time_t s = (time_t)(wall_ns / 1000000000ull);
	struct tm tm;

	if (!wall_ns || !gmtime_r(&s, &tm)) {
		if (len)
			buf[0] = 0;
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned long long)(wall_ns % 1000000000ull));
	return buf;
}

const char *ana_errno_name(char *buf, size_t len, uint32_t no)
{
	const char *n = no && no < 4096 ? strerrorname_np((int)no) : NULL;

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "E%u", no);
	return buf;
}
