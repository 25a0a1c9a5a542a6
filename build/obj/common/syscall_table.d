build/obj/common/syscall_table.o: common/syscall_table.c \
 common/syscalls.h
common/syscalls.h:
