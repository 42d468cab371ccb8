build/release/core/arena.o: core/arena.c core/common.h core/banned.h \
 core/arena.h core/xmalloc.h
core/common.h:
core/banned.h:
core/arena.h:
core/xmalloc.h:
