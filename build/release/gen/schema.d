build/release/gen/schema.o: build/release/gen/schema.c
