build/release/core/dderr.o: core/dderr.c core/common.h core/banned.h \
 core/dderr.h
core/common.h:
core/banned.h:
core/dderr.h:
