build/release/core/rd.o: core/rd.c core/common.h core/banned.h core/rd.h \
 core/dderr.h
core/common.h:
core/banned.h:
core/rd.h:
core/dderr.h:
