build/obj/common/parse.o: common/parse.c common/parse.h
common/parse.h:
