build/release/core/util.o: core/util.c core/common.h core/banned.h \
 core/util.h core/dderr.h core/sbuf.h core/xmalloc.h
core/common.h:
core/banned.h:
core/util.h:
core/dderr.h:
core/sbuf.h:
core/xmalloc.h:
