build/release/core/sink-store.o: core/sink-store.c core/common.h \
 core/banned.h core/sink.h core/dderr.h core/store.h
core/common.h:
core/banned.h:
core/sink.h:
core/dderr.h:
core/store.h:
