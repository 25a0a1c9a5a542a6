build/obj/tests/unit/common/test_parse.o: tests/unit/common/test_parse.c \
 common/parse.h
common/parse.h:
