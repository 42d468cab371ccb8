# syntax=docker/dockerfile:1
ARG BASE=busybox
FROM ${BASE} AS build
RUN echo build stage

FROM busybox:latest
# the real stage
RUN mkdir -p /root/example/really/nested
RUN cp /somefile.txt /root/example/somefile1.txt
RUN chmod 444 /root/example/somefile1.txt \
    # a comment inside
    && true
COPY --chown=0:0 somefile.txt /somefile.txt
CMD ["sh"]
RUN <<EOT
echo hello
EOT
