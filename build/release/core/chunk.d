build/release/core/chunk.o: core/chunk.c core/common.h core/banned.h \
 core/chunk.h core/util.h core/dderr.h core/limits.h core/store.h \
 core/xmalloc.h
core/common.h:
core/banned.h:
core/chunk.h:
core/util.h:
core/dderr.h:
core/limits.h:
core/store.h:
core/xmalloc.h:
