#!/bin/sh
# The container's entry point: idle until the recorder has attached, then
# run the scripted attack.
while [ ! -e /tmp/go ]; do sleep 0.2; done
exec /bin/sh /opt/app/attack.sh
