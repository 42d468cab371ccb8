build/release/core/sbuf.o: core/sbuf.c core/common.h core/banned.h \
 core/sbuf.h core/dderr.h core/xmalloc.h
core/common.h:
core/banned.h:
core/sbuf.h:
core/dderr.h:
core/xmalloc.h:
