build/release/core/sqlfn.o: core/sqlfn.c core/common.h core/banned.h \
 core/store.h core/limits.h core/util.h
core/common.h:
core/banned.h:
core/store.h:
core/limits.h:
core/util.h:
