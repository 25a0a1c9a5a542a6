build/obj/tests/unit/common/test_syscalls.o: \
 tests/unit/common/test_syscalls.c common/syscalls.h
common/syscalls.h:
