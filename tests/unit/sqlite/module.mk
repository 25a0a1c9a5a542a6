# SPDX-License-Identifier: MIT
# The SQLite loader's own unit binary: analyze/sqlite_*.c without the engine.
UNIT_DEPS_sqlite := $(call obj,$(wildcard analyze/sqlite_*.c)) $(LIBCOMMON)
UNIT_LIBS_sqlite = $(call pc,sqlite3)
# test_queries.c runs the example queries of docs/SQL.md, read from the tree.
$(call obj,tests/unit/sqlite/test_queries.c): ALL_CFLAGS += -DSQL_DOC_PATH='"$(CURDIR)/docs/SQL.md"'
