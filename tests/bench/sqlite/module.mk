# SPDX-License-Identifier: MIT
# SQLite load rate (issue 4 item 9): `make bench` runs it after the others;
# `make bench-sqlite` alone. BENCH_SQLITE_EVENTS sets the 1x size (10x runs too).
BENCH_SQLITE := $(O)/tests/bench-sqlite
BENCH_SQLITE_EVENTS ?= 1000000
.PHONY: bench-sqlite

$(BENCH_SQLITE): $(call obj,tests/bench/sqlite/bench_sqlite.c) \
		$(call obj,$(wildcard analyze/sqlite_*.c)) $(LIBCOMMON)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -o $@ $(call pc,sqlite3)

bench-sqlite: $(BENCH_SQLITE)
	$(Q)$(BENCH_SQLITE) $(BENCH_SQLITE_EVENTS)

bench:: $(BENCH_SQLITE)
	$(Q)$(BENCH_SQLITE) $(BENCH_SQLITE_EVENTS)
