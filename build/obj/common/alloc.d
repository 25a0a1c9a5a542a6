build/obj/common/alloc.o: common/alloc.c common/alloc.h
common/alloc.h:
