build/release/core/xmalloc.o: core/xmalloc.c core/common.h core/banned.h \
 core/xmalloc.h
core/common.h:
core/banned.h:
core/xmalloc.h:
