#!/usr/bin/env python3
"""Fake network services for drydock's test captures (standard library only).

Usage: servers.py ROLE HOST PORT [HOST2 ...]
  ROLE is one of: ssh ftp http401 docker metadata kubelet stratum c2 web
  listen tcp, dns (udp), echo (tcp echo with graceful close + udp echo),
  rst (tcp: reads a little then resets the connection).
Every role serves until killed. Nothing here runs commands or reads secrets:
all answers are canned strings. Used by ../net-captures.sh inside network
namespaces it creates; never bind it to a routable interface.
"""
import http.server
import json
import socket
import socketserver
import struct
import sys
import threading
import time


class TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, addr, handler):
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        super().__init__(addr, handler)


class HTTPServer(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, addr, handler):
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        super().__init__(addr, handler)

    def server_bind(self):
        # not HTTPServer's: its getfqdn() would try DNS, absent in a namespace
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


# ---------------------------------------------------------------- line based
class SSHHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        self.rfile.readline(256)
        time.sleep(0.05)


class FTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 (vsFTPd 3.0.3)\r\n")
        while True:
            line = self.rfile.readline(512)
            if not line:
                return
            cmd = line.split(b" ", 1)[0].strip().upper()
            if cmd == b"USER":
                self.wfile.write(b"331 Please specify the password.\r\n")
            elif cmd == b"PASS":
                time.sleep(0.3)  # vsftpd delays failed logins
                self.wfile.write(b"530 Login incorrect.\r\n")
            elif cmd == b"QUIT":
                self.wfile.write(b"221 Goodbye.\r\n")
                return
            else:
                self.wfile.write(b"530 Please login with USER and PASS.\r\n")


class StratumHandler(socketserver.StreamRequestHandler):
    def send(self, obj):
        self.wfile.write(json.dumps(obj, separators=(",", ":")).encode() + b"\n")

    def handle(self):
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            try:
                req = json.loads(line)
            except ValueError:
                return
            m, rid = req.get("method"), req.get("id")
            if m == "mining.subscribe":
                self.send({"id": rid, "result": [[["mining.set_difficulty", "b4b6693b72a50c7116db18d6497cac52"],
                                                  ["mining.notify", "ae6812eb4cd7735a302a8a9dd95cf71f"]],
                                                 "08000002", 4], "error": None})
            elif m == "mining.authorize":
                self.send({"id": rid, "result": True, "error": None})
                self.send({"id": None, "method": "mining.set_difficulty", "params": [16384]})
                self.send({"id": None, "method": "mining.notify",
                           "params": ["4f1a", "c3f2a6d1e0b4" * 5 + "0000", "01000000", "ffffffff", [],
                                      "20000000", "1705ae3a", "65a1c0de", True]})
            elif m == "mining.submit":
                self.send({"id": rid, "result": True, "error": None})
            else:
                self.send({"id": rid, "result": None, "error": [20, "Unsupported method", None]})


class ListenHandler(socketserver.StreamRequestHandler):
    """Attacker side of a reverse shell: sends commands, reads their output."""
    COMMANDS = [b"id", b"hostname", b"uname -a", b"pwd", b"ls -la /", b"cat /etc/os-release",
                b"ps aux", b"env", b"cat /proc/1/cgroup", b"ls /var/run/secrets/kubernetes.io/serviceaccount",
                b"df -h", b"ip addr", b"exit"]
    INTERVAL = 5.2

    def handle(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request.settimeout(2.0)
        self.drain()  # the shell's greeting
        for cmd in self.COMMANDS:
            time.sleep(self.INTERVAL)
            # typed by a human: the line leaves in pieces
            for piece in (cmd[:2], cmd[2:]):
                if piece:
                    self.request.sendall(piece)
                    time.sleep(0.25)
            self.request.sendall(b"\n")
            self.drain()

    def drain(self):
        try:
            while True:
                data = self.request.recv(4096)
                if not data or data.endswith(b"# "):
                    break
        except socket.timeout:
            pass


# ----------------------------------------------------------------- HTTP based
class BaseHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, code, data=b"", ctype="application/json", extra=()):
        if isinstance(data, (dict, list)):
            data = json.dumps(data).encode() + b"\n"
        elif isinstance(data, str):
            data = data.encode()
        self.send_response(code)
        for k, v in extra:
            self.send_header(k, v)
        if code != 204:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if code != 204 and self.command != "HEAD":
            self.wfile.write(data)


class HTTP401Handler(BaseHandler):
    server_version = "nginx/1.22.1"
    sys_version = ""

    def do_GET(self):
        page = (b"<html>\r\n<head><title>401 Authorization Required</title></head>\r\n"
                b"<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n"
                b"<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")
        self.reply(401, page, "text/html", [("WWW-Authenticate", 'Basic realm="Restricted admin"')])


CID = "4c01db0b339c1e4d7a6f5f2b0fd3a1f0a7c3a5e2d9b8c6f1e0a4b3c2d1e0f9a8"
EXECID = "b8a1f0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0"


class DockerHandler(BaseHandler):
    server_version = "Docker/24.0.7 (linux)"
    sys_version = ""

    def hdrs(self):
        return [("Api-Version", "1.41"), ("Docker-Experimental", "false"), ("Ostype", "linux")]

    def do_GET(self):
        p = self.path.split("?")[0]
        if p == "/_ping":
            self.reply(200, "OK", "text/plain; charset=utf-8", self.hdrs())
        elif p.endswith("/version"):
            self.reply(200, {"Platform": {"Name": "Docker Engine - Community"}, "Version": "24.0.7",
                             "ApiVersion": "1.43", "MinAPIVersion": "1.12", "GitCommit": "311b9ff",
                             "GoVersion": "go1.20.10", "Os": "linux", "Arch": "amd64",
                             "KernelVersion": "6.1.0-13-amd64", "BuildTime": "2023-10-26T09:08:02.000000000+00:00"},
                       extra=self.hdrs())
        elif p.endswith("/containers/json"):
            self.reply(200, [], extra=self.hdrs())
        else:
            self.reply(404, {"message": "page not found"}, extra=self.hdrs())

    do_HEAD = do_GET

    def do_POST(self):
        self.body()
        p = self.path.split("?")[0]
        if p.endswith("/containers/create"):
            self.reply(201, {"Id": CID, "Warnings": []}, extra=self.hdrs())
        elif p.endswith("/start") and "/containers/" in p:
            self.reply(204, extra=self.hdrs())
        elif p.endswith("/exec") and "/containers/" in p:
            self.reply(201, {"Id": EXECID}, extra=self.hdrs())
        elif p.startswith("/v1.41/exec/") and p.endswith("/start"):
            out = b"uid=0(root) gid=0(root) groups=0(root)\n"
            frame = struct.pack(">BxxxI", 1, len(out)) + out
            self.reply(200, frame, "application/vnd.docker.raw-stream", self.hdrs())
        else:
            self.reply(404, {"message": "page not found"}, extra=self.hdrs())


class MetadataHandler(BaseHandler):
    server_version = "EC2ws"
    sys_version = ""
    ROLE = "drydock-test-node-role"

    def do_GET(self):
        p = self.path
        base = "/latest/meta-data/iam/security-credentials/"
        if p == "/latest/meta-data/":
            self.reply(200, "ami-id\nhostname\niam/\ninstance-id\nlocal-ipv4\n", "text/plain")
        elif p == base:
            self.reply(200, self.ROLE, "text/plain")
        elif p == base + self.ROLE:
            # deliberately fake, documentation-style values
            self.reply(200, {"Code": "Success", "LastUpdated": "2024-01-01T00:00:00Z", "Type": "AWS-HMAC",
                             "AccessKeyId": "ASIAEXAMPLEFAKEKEY00",
                             "SecretAccessKey": "fakeSecretForDrydockTestsOnly0000000000",
                             "Token": "ZmFrZS10b2tlbi1mb3ItZHJ5ZG9jay10ZXN0cw==",
                             "Expiration": "2024-01-01T06:00:00Z"}, "text/plain")
        else:
            self.reply(404, "Not Found", "text/plain")


class KubeletHandler(BaseHandler):
    server_version = ""
    sys_version = ""

    def version_string(self):
        return "kubelet"

    def do_GET(self):
        p = self.path.split("?")[0]
        if p in ("/pods", "/pods/"):
            self.reply(200, {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": [
                {"metadata": {"name": "web-7f9c", "namespace": "default", "uid": "5d1f0a4e-1b7c-4c2e-9d3a-0f6b2e8c1a77"},
                 "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": "nginx:1.25"}]},
                 "status": {"phase": "Running", "podIP": "10.244.0.7"}}]})
        elif p == "/runningpods/":
            self.reply(200, {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": []})
        else:
            self.reply(404, "404 page not found\n", "text/plain; charset=utf-8")

    def do_POST(self):
        self.body()
        if self.path.startswith("/run/"):
            self.reply(200, "uid=0(root) gid=0(root) groups=0(root)\n", "text/plain")
        else:
            self.reply(404, "404 page not found\n", "text/plain; charset=utf-8")


class C2Handler(BaseHandler):
    server_version = "nginx"
    sys_version = ""

    def do_GET(self):
        self.reply(200, '{"t":0,"cmd":"sleep"}', "application/json")


class WebHandler(BaseHandler):
    server_version = "nginx/1.22.1"
    sys_version = ""
    PAGES = {
        "/": ("text/html", b"<!doctype html><html><head><title>Example</title><link rel=stylesheet href=/style.css>"
                           b"</head><body><h1>It works</h1><p>A plain page.</p></body></html>\n"),
        "/style.css": ("text/css", b"body{font-family:sans-serif;margin:2em}h1{color:#333}\n"),
        "/robots.txt": ("text/plain", b"User-agent: *\nDisallow:\n"),
        "/favicon.ico": ("image/x-icon", bytes(range(64))),
    }

    def do_GET(self):
        p = self.path.split("?")[0]
        if p in self.PAGES:
            ctype, data = self.PAGES[p]
            self.reply(200, data, ctype)
        else:
            self.reply(404, "<html><body>404 Not Found</body></html>\n", "text/html")

    do_HEAD = do_GET


# ------------------------------------------------------------------ echo/rst
class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return  # client closed: close our side too (FIN both ways)
            self.wfile.write(line)


class RstHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(4096)
        self.request.sendall(b"partial response ...")
        time.sleep(0.2)
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()  # RST mid-stream


def udp_echo(host, port):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((host, port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


# ---------------------------------------------------------------------- DNS
BENIGN = {
    "www.example.com": ["93.184.215.14"], "example.com": ["93.184.215.14"],
    "mail.example.org": ["198.51.100.25"], "www.example.org": ["198.51.100.20"],
    "deb.debian.org": ["151.101.2.132", "151.101.66.132"], "security.debian.org": ["151.101.194.132"],
    "registry-1.docker.io": ["54.198.86.24", "52.4.104.248"], "auth.docker.io": ["54.236.113.205"],
    "production.cloudflare.docker.com": ["104.16.101.215"], "github.com": ["140.82.121.4"],
    "api.github.com": ["140.82.121.6"], "pypi.org": ["151.101.0.223"], "files.pythonhosted.org": ["151.101.1.63"],
    "ntp.ubuntu.com": ["185.125.190.58"], "www.wikipedia.org": ["185.15.59.224"],
    "time.example.net": ["203.0.113.123"],
}
BENIGN6 = {"www.example.com": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"], "github.com": [],
           "www.wikipedia.org": ["2a02:ec80:300:ed1a::1"], "deb.debian.org": ["2a04:4e42::644"]}
MX = {"example.org": [(10, "mail.example.org")]}
TUNNEL = ".x.tunnel.example"


def qname_parse(msg, off):
    labels = []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            return ".".join(labels), off
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n


def name_enc(name):
    out = b""
    for lab in name.rstrip(".").split("."):
        out += bytes([len(lab)]) + lab.encode()
    return out + b"\0"


def dns_answer(msg):
    qid, flags, qd = struct.unpack(">HHH", msg[:6])
    name, off = qname_parse(msg, 12)
    qtype, qclass = struct.unpack(">HH", msg[off:off + 4])
    question = msg[12:off + 4]
    rd = flags & 0x0100
    answers = []
    rcode = 0
    lname = name.lower()

    def rr(rtype, ttl, rdata):
        return b"\xc0\x0c" + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata

    if lname.endswith(TUNNEL) or lname == TUNNEL[1:]:
        seed = sum(lname.encode()) & 0xff
        if qtype == 1:
            answers.append(rr(1, 0, bytes([10, 0, seed >> 4, seed & 0xf or 1])))
        elif qtype == 16:
            import base64
            txt = base64.b32encode(b"ok:" + lname.split(".")[0][:16].encode()).decode().rstrip("=").lower()
            answers.append(rr(16, 0, bytes([len(txt)]) + txt.encode()))
    elif lname in BENIGN or lname in MX or lname in BENIGN6:
        if qtype == 1:
            for a in BENIGN.get(lname, []):
                answers.append(rr(1, 300, socket.inet_aton(a)))
        elif qtype == 28:
            for a in BENIGN6.get(lname, []):
                answers.append(rr(28, 300, socket.inet_pton(socket.AF_INET6, a)))
        elif qtype == 15:
            for pref, ex in MX.get(lname, []):
                answers.append(rr(15, 3600, struct.pack(">H", pref) + name_enc(ex)))
    else:
        rcode = 3  # NXDOMAIN
    hdr = struct.pack(">HHHHHH", qid, 0x8000 | 0x0400 * (rcode == 0 and lname.endswith(TUNNEL)) | rd | 0x0080 | rcode,
                      1, len(answers), 0, 0)
    return hdr + question + b"".join(answers)


def dns_serve(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    while True:
        msg, peer = s.recvfrom(2048)
        try:
            s.sendto(dns_answer(msg), peer)
        except (IndexError, struct.error):
            pass


ROLES = {"ssh": SSHHandler, "ftp": FTPHandler, "stratum": StratumHandler, "listen": ListenHandler,
         "echo": EchoHandler, "rst": RstHandler}
HTTP_ROLES = {"http401": HTTP401Handler, "docker": DockerHandler, "metadata": MetadataHandler,
              "kubelet": KubeletHandler, "c2": C2Handler, "web": WebHandler}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    role, port, hosts = sys.argv[1], int(sys.argv[3]), [sys.argv[2]] + sys.argv[4:]
    threads = []
    for host in hosts:
        if role == "dns":
            t = threading.Thread(target=dns_serve, args=(host, port), daemon=True)
        elif role in HTTP_ROLES:
            t = threading.Thread(target=HTTPServer((host, port), HTTP_ROLES[role]).serve_forever, daemon=True)
        elif role in ROLES:
            t = threading.Thread(target=TCPServer((host, port), ROLES[role]).serve_forever, daemon=True)
            if role == "echo":
                threads.append(threading.Thread(target=udp_echo, args=(host, port), daemon=True))
        else:
            sys.exit("unknown role " + role)
        threads.append(t)
    for t in threads:
        t.start()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
