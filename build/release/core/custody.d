build/release/core/custody.o: core/custody.c core/common.h core/banned.h \
 core/custody.h core/util.h core/dderr.h core/sbuf.h core/store.h
core/common.h:
core/banned.h:
core/custody.h:
core/util.h:
core/dderr.h:
core/sbuf.h:
core/store.h:
