build/release/core/store.o: core/store.c core/common.h core/banned.h \
 core/store.h core/dderr.h core/limits.h core/sbuf.h core/xmalloc.h
core/common.h:
core/banned.h:
core/store.h:
core/dderr.h:
core/limits.h:
core/sbuf.h:
core/xmalloc.h:
