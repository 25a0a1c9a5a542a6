build/obj/common/syscalls.o: common/syscalls.c common/syscalls.h
common/syscalls.h:
