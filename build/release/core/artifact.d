build/release/core/artifact.o: core/artifact.c core/common.h \
 core/banned.h core/artifact.h core/util.h core/dderr.h core/store.h \
 core/xmalloc.h
core/common.h:
core/banned.h:
core/artifact.h:
core/util.h:
core/dderr.h:
core/store.h:
core/xmalloc.h:
