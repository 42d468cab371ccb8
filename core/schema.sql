-- drydock case schema. Forward-only migrations: each block starting with a
-- "-- migration N" line runs once, in order, when PRAGMA user_version < N.
-- Public relations (DESIGN.md section 8) are views that show only complete
-- artifacts; the *_all tables behind them also hold rows of imports still
-- under way (state 'importing'), which the owner flips or the next writer
-- removes.

-- migration 1
CREATE TABLE meta(
	key TEXT PRIMARY KEY,
	value
);

-- The chunk store: content-addressed, independently decompressible chunks.
-- hash is the SHA-256 of the raw bytes; codec 0 = stored, 1 = zstd.
CREATE TABLE chunks(
	id INTEGER PRIMARY KEY,
	hash BLOB NOT NULL UNIQUE,
	raw_len INTEGER NOT NULL,
	codec INTEGER NOT NULL,
	data BLOB NOT NULL
);

-- A blob is a byte string made of parts, each a slice of one chunk.
-- sha256 is set when the blob is complete.
CREATE TABLE blobs(
	id INTEGER PRIMARY KEY,
	size INTEGER NOT NULL DEFAULT 0,
	sha256 BLOB
);
CREATE TABLE blob_parts(
	blob_id INTEGER NOT NULL,
	off INTEGER NOT NULL,
	len INTEGER NOT NULL,
	chunk_id INTEGER NOT NULL,
	chunk_off INTEGER NOT NULL,
	PRIMARY KEY(blob_id, off)
) WITHOUT ROWID;
CREATE INDEX blob_parts_chunk ON blob_parts(chunk_id);

-- Every imported file or directory input. A directory input is a group
-- (format 'group', sha256 the Merkle hash of its members); members carry
-- group_id and their path inside it as name.
CREATE TABLE artifact_all(
	id INTEGER PRIMARY KEY,
	group_id INTEGER,
	name TEXT NOT NULL,
	format TEXT NOT NULL,
	size INTEGER NOT NULL DEFAULT 0,
	sha256 TEXT,
	state TEXT NOT NULL CHECK (state IN ('importing', 'complete')),
	importer TEXT NOT NULL,
	importer_version TEXT NOT NULL,
	imported_at INTEGER NOT NULL,
	clock_offset INTEGER NOT NULL DEFAULT 0,
	tz TEXT NOT NULL DEFAULT 'UTC',
	reference INTEGER NOT NULL DEFAULT 0,
	source_path TEXT,
	parsed INTEGER NOT NULL DEFAULT 1,
	mode INTEGER,
	mtime INTEGER,
	blob_id INTEGER,
	owner_pid INTEGER
);
CREATE INDEX artifact_all_sha ON artifact_all(sha256);
CREATE INDEX artifact_all_group ON artifact_all(group_id);
CREATE VIEW artifacts AS
	SELECT id, group_id, name, format, size, sha256, state, importer,
	       importer_version, imported_at, clock_offset, tz, reference,
	       source_path, parsed, blob_id
	FROM artifact_all WHERE state = 'complete';

CREATE TABLE anomaly_all(
	artifact_id INTEGER NOT NULL,
	offset INTEGER,
	message TEXT NOT NULL
);
CREATE INDEX anomaly_all_artifact ON anomaly_all(artifact_id);
CREATE VIEW anomalies AS
	SELECT n.artifact_id, n.offset, n.message
	FROM anomaly_all n JOIN artifact_all a ON a.id = n.artifact_id
	WHERE a.state = 'complete';

-- The custody chain: hash = SHA-256 over the previous hash and the
-- canonical length-prefixed encoding of this row (core/custody.h).
CREATE TABLE custody(
	seq INTEGER PRIMARY KEY,
	ts INTEGER NOT NULL,
	action TEXT NOT NULL,
	detail TEXT NOT NULL,
	examiner TEXT NOT NULL,
	prev TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE findings(
	id TEXT PRIMARY KEY,
	analyzer TEXT NOT NULL,
	rule TEXT NOT NULL,
	severity TEXT NOT NULL
	    CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
	confidence REAL NOT NULL,
	title TEXT NOT NULL,
	detail TEXT NOT NULL,
	ts INTEGER,
	attack TEXT NOT NULL DEFAULT '[]',
	container_id TEXT
);
CREATE INDEX findings_analyzer ON findings(analyzer);
CREATE TABLE finding_evidence(
	finding_id TEXT NOT NULL,
	relation TEXT NOT NULL,
	key TEXT NOT NULL,
	ord INTEGER NOT NULL, -- 0 is the primary evidence
	PRIMARY KEY(finding_id, relation, key)
) WITHOUT ROWID;
CREATE TABLE finding_entities(
	finding_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY(finding_id, kind, value)
) WITHOUT ROWID;

-- One row per analyzer run: version and the hash of the rules it ran.
CREATE TABLE analyzer_runs(
	analyzer TEXT PRIMARY KEY,
	version TEXT NOT NULL,
	rules_sha256 TEXT NOT NULL,
	ts INTEGER NOT NULL,
	findings INTEGER NOT NULL
);

-- Examiner notes and tags on any row of any relation (findings keep theirs
-- across re-analysis because finding ids are stable).
CREATE TABLE notes(
	id INTEGER PRIMARY KEY,
	relation TEXT NOT NULL,
	key TEXT NOT NULL,
	ts INTEGER NOT NULL,
	examiner TEXT NOT NULL,
	text TEXT NOT NULL
);
CREATE INDEX notes_target ON notes(relation, key);
CREATE TABLE tags(
	relation TEXT NOT NULL,
	key TEXT NOT NULL,
	tag TEXT NOT NULL,
	ts INTEGER NOT NULL,
	PRIMARY KEY(relation, key, tag)
) WITHOUT ROWID;

-- migration 2
-- The case-wide string table: every distinct path, command, name and
-- address text once. Text that is not valid UTF-8 is kept with each bad
-- byte written as \xNN. strings_fts is a trigram index over it, so LIKE
-- and substring filters run on distinct strings, not on events.
-- h is a 64-bit FNV-1a hash of s (strtab_key in core/strtab.h): the
-- lookup index holds 8-byte keys instead of a copy of every string.
CREATE TABLE strings(
	id INTEGER PRIMARY KEY,
	h INTEGER NOT NULL,
	s TEXT NOT NULL
);
CREATE INDEX strings_h ON strings(h);
CREATE VIRTUAL TABLE strings_fts USING fts5(s, content = 'strings',
    content_rowid = 'id', tokenize = 'trigram', detail = none,
    columnsize = 0);

-- Events, in chunks of up to 16384: each column encoded for its shape and
-- the chunk zstd-compressed (core/evstore.h has the layout). Summaries
-- beside each chunk answer counts and skip chunks without decompressing.
CREATE TABLE event_chunks(
	id INTEGER PRIMARY KEY,
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,	    -- chunk order within the artifact
	first_ord INTEGER NOT NULL, -- source ordinal of its first event
	n INTEGER NOT NULL,	    -- events
	ts_min INTEGER,		    -- raw times (before the clock offset)
	ts_max INTEGER,
	tid_min INTEGER,
	tid_max INTEGER,
	raw_len INTEGER NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX event_chunks_artifact ON event_chunks(artifact_id, seq);
CREATE TABLE event_chunk_names(
	name_id INTEGER NOT NULL, -- strings.id of the syscall/signal/exit name
	kind INTEGER NOT NULL,
	chunk_id INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY(name_id, kind, chunk_id)
) WITHOUT ROWID;
CREATE INDEX event_chunk_names_chunk ON event_chunk_names(chunk_id);
CREATE TABLE event_chunk_tids(
	tid INTEGER NOT NULL,
	chunk_id INTEGER NOT NULL,
	PRIMARY KEY(tid, chunk_id)
) WITHOUT ROWID;
CREATE INDEX event_chunk_tids_chunk ON event_chunk_tids(chunk_id);

-- Thread to thread-group map (traces name threads; processes are groups).
CREATE TABLE event_threads(
	artifact_id INTEGER NOT NULL,
	tid INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	PRIMARY KEY(artifact_id, tid)
) WITHOUT ROWID;

CREATE TABLE process_all(
	id INTEGER PRIMARY KEY,
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	ppid INTEGER,
	comm TEXT,
	exe TEXT,
	args TEXT,
	container_id TEXT,
	start_ts INTEGER,
	end_ts INTEGER,
	exit_code INTEGER,
	exit_signal TEXT
);
CREATE INDEX process_all_pid ON process_all(artifact_id, pid, start_ts);
CREATE VIEW processes AS
	SELECT p.id, p.pid, p.ppid, p.comm, p.exe, p.args, p.container_id,
	       p.start_ts + a.clock_offset AS start_ts,
	       p.end_ts + a.clock_offset AS end_ts,
	       p.exit_code, p.exit_signal, p.artifact_id
	FROM process_all p JOIN artifact_all a ON a.id = p.artifact_id
	WHERE a.state = 'complete';

-- Exec lineage: every successful execve of a process, in order.
CREATE TABLE exec_all(
	artifact_id INTEGER NOT NULL,
	process_id INTEGER NOT NULL,
	ts INTEGER,
	exe TEXT,
	args TEXT
);
CREATE INDEX exec_all_process ON exec_all(process_id);
CREATE VIEW execs AS
	SELECT x.process_id, x.ts + a.clock_offset AS ts, x.exe, x.args,
	       x.artifact_id
	FROM exec_all x JOIN artifact_all a ON a.id = x.artifact_id
	WHERE a.state = 'complete';

-- migration 3
-- Containers, as each artifact saw them (scap container events and cgroup
-- paths, LID-DS metadata, inspect JSON...). One row per (container,
-- artifact); the containers view merges them by canonical id (the full
-- 64-hex id when any source knows it: sink-store.c folds 12-hex and longer
-- id prefixes into it). privileged: 1, 0 or NULL (unknown).
CREATE TABLE container_all(
	id TEXT NOT NULL,
	artifact_id INTEGER NOT NULL,
	name TEXT,
	image TEXT,
	privileged INTEGER,
	PRIMARY KEY(id, artifact_id)
) WITHOUT ROWID;
CREATE TABLE container_alias_all(
	container_id TEXT NOT NULL,
	artifact_id INTEGER NOT NULL,
	kind TEXT NOT NULL,	-- id, short_id, name, lidds_name, ip, k8s_uid...
	value TEXT NOT NULL,
	PRIMARY KEY(container_id, artifact_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX container_alias_value ON container_alias_all(value);
CREATE VIEW containers AS
	SELECT c.id, max(c.name) AS name, max(c.image) AS image,
	       max(c.privileged) AS privileged
	FROM container_all c JOIN artifact_all a ON a.id = c.artifact_id
	WHERE a.state = 'complete' GROUP BY c.id;
CREATE VIEW container_aliases AS
	SELECT DISTINCT x.container_id, x.kind, x.value
	FROM container_alias_all x JOIN artifact_all a ON a.id = x.artifact_id
	WHERE a.state = 'complete';

-- Labels of an artifact (dataset recordings: split, label, attack class,
-- exploit times; scenario facts), as key/value text.
CREATE TABLE label_all(
	artifact_id INTEGER NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL
);
CREATE INDEX label_all_artifact ON label_all(artifact_id);
CREATE VIEW labels AS
	SELECT l.artifact_id, l.key, l.value
	FROM label_all l JOIN artifact_all a ON a.id = l.artifact_id
	WHERE a.state = 'complete';

-- migration 4
-- Network evidence (pcap/pcapng, ingest/imp-pcap.c). Rows hang off the
-- capture artifact; flow_no numbers a capture's flows 1, 2, 3... in the
-- order their first packet appears, and is what the packet index and the
-- protocol records refer to (the public views join it to flows.id).
-- src/sport is the initiator: the sender of the first packet seen (of the
-- SYN when the handshake was seen). ICMP flows carry the type in sport
-- and the code in dport, as Zeek does. Times are raw capture times; the
-- views add the artifact's clock offset.
CREATE TABLE flow_all(
	id INTEGER PRIMARY KEY,
	artifact_id INTEGER NOT NULL,
	flow_no INTEGER NOT NULL,
	proto TEXT NOT NULL,		-- tcp, udp, icmp, icmpv6, sctp, or the number
	src TEXT NOT NULL,
	sport INTEGER,
	dst TEXT NOT NULL,
	dport INTEGER,
	first_ts INTEGER NOT NULL,
	last_ts INTEGER NOT NULL,
	packets_fwd INTEGER NOT NULL,	-- initiator to responder
	bytes_fwd INTEGER NOT NULL,	-- IP bytes (header included)
	packets_rev INTEGER NOT NULL,
	bytes_rev INTEGER NOT NULL,
	payload_fwd INTEGER NOT NULL,	-- L4 payload bytes
	payload_rev INTEGER NOT NULL,
	state TEXT,			-- tcp: see imp-pcap.c (S0, S1, SF, REJ, RSTO...)
	tcp_flags INTEGER,		-- OR of the flags seen, per direction: fwd | rev << 8
	retrans INTEGER NOT NULL DEFAULT 0,
	service TEXT,			-- guessed from the first payload (netproto.c)
	auth_failures INTEGER NOT NULL DEFAULT 0,
	tunnel TEXT,			-- 'vxlan 4711', 'geneve 12' (outer VNI) or NULL
	vlan INTEGER,			-- outer VLAN id or NULL
	community_id TEXT NOT NULL,
	first_pkt INTEGER NOT NULL,	-- packet number (1-based) in the capture
	fragments INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX flow_all_no ON flow_all(artifact_id, flow_no);
CREATE INDEX flow_all_src ON flow_all(src);
CREATE INDEX flow_all_dst ON flow_all(dst);
-- Which container an address belongs to (container aliases of kind 'ip':
-- LID-DS metadata, scap container events, inspect JSON...).
CREATE VIEW ip_containers AS
	SELECT x.value AS ip, min(x.container_id) AS container_id
	FROM container_alias_all x JOIN artifact_all a ON a.id = x.artifact_id
	WHERE x.kind = 'ip' AND a.state = 'complete' GROUP BY x.value;
-- container_id: the initiator's container, else the responder's;
-- src_container / dst_container: each side's.
CREATE VIEW flows AS
	SELECT f.id, f.proto, f.src, f.sport, f.dst, f.dport,
	       f.first_ts + a.clock_offset AS first_ts,
	       f.last_ts + a.clock_offset AS last_ts,
	       f.packets_fwd + f.packets_rev AS packets,
	       f.bytes_fwd + f.bytes_rev AS bytes, f.community_id,
	       coalesce(cs.container_id, cd.container_id) AS container_id,
	       f.packets_fwd, f.bytes_fwd, f.packets_rev, f.bytes_rev,
	       f.payload_fwd, f.payload_rev, f.state, f.tcp_flags, f.retrans,
	       f.service, f.auth_failures, f.tunnel, f.vlan, f.fragments,
	       cs.container_id AS src_container,
	       cd.container_id AS dst_container, f.artifact_id, f.flow_no
	FROM flow_all f JOIN artifact_all a ON a.id = f.artifact_id
	LEFT JOIN ip_containers cs ON cs.ip = f.src
	LEFT JOIN ip_containers cd ON cd.ip = f.dst
	WHERE a.state = 'complete';

-- One DNS message (query or response; UDP or TCP).
CREATE TABLE dns_all(
	artifact_id INTEGER NOT NULL,
	flow_no INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	txid INTEGER NOT NULL,
	response INTEGER NOT NULL,
	qname TEXT NOT NULL,
	qtype TEXT,
	rcode TEXT,			-- responses only
	answers TEXT,			-- "A 1.2.3.4,CNAME x" (responses)
	truncated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dns_all_artifact ON dns_all(artifact_id, flow_no);
CREATE INDEX dns_all_qname ON dns_all(qname);
CREATE VIEW dns AS
	SELECT d.ts + a.clock_offset AS ts, f.id AS flow_id, d.qname, d.qtype,
	       d.rcode, d.answers, d.response, d.txid, d.truncated,
	       f.src, f.dst, coalesce(cs.container_id, cd.container_id)
	       AS container_id, d.artifact_id
	FROM dns_all d JOIN artifact_all a ON a.id = d.artifact_id
	JOIN flow_all f ON f.artifact_id = d.artifact_id AND
	     f.flow_no = d.flow_no
	LEFT JOIN ip_containers cs ON cs.ip = f.src
	LEFT JOIN ip_containers cd ON cd.ip = f.dst
	WHERE a.state = 'complete';

-- One HTTP/1.x message head (a request or a response).
CREATE TABLE http_all(
	artifact_id INTEGER NOT NULL,
	flow_no INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	request INTEGER NOT NULL,
	method TEXT,
	host TEXT,
	uri TEXT,
	user_agent TEXT,
	status INTEGER,
	reason TEXT,
	content_type TEXT,
	authorization INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX http_all_artifact ON http_all(artifact_id, flow_no);
CREATE VIEW http AS
	SELECT h.ts + a.clock_offset AS ts, f.id AS flow_id, h.request,
	       h.method, h.host, h.uri, h.user_agent, h.status, h.reason,
	       h.content_type, h.authorization, f.src, f.sport, f.dst,
	       f.dport, h.artifact_id
	FROM http_all h JOIN artifact_all a ON a.id = h.artifact_id
	JOIN flow_all f ON f.artifact_id = h.artifact_id AND
	     f.flow_no = h.flow_no
	WHERE a.state = 'complete';

-- One TLS ClientHello.
CREATE TABLE tls_all(
	artifact_id INTEGER NOT NULL,
	flow_no INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	version TEXT,
	sni TEXT,
	alpn TEXT,
	ciphers INTEGER
);
CREATE INDEX tls_all_artifact ON tls_all(artifact_id, flow_no);
CREATE VIEW tls AS
	SELECT t.ts + a.clock_offset AS ts, f.id AS flow_id, t.version, t.sni,
	       t.alpn, t.ciphers, f.src, f.sport, f.dst, f.dport, t.artifact_id
	FROM tls_all t JOIN artifact_all a ON a.id = t.artifact_id
	JOIN flow_all f ON f.artifact_id = t.artifact_id AND
	     f.flow_no = t.flow_no
	WHERE a.state = 'complete';

-- One ARP packet. op: 'request', 'reply' or the number.
CREATE TABLE arp_all(
	artifact_id INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	pkt INTEGER NOT NULL,		-- packet number in the capture
	op TEXT NOT NULL,
	sender_mac TEXT NOT NULL,
	sender_ip TEXT NOT NULL,
	target_mac TEXT NOT NULL,
	target_ip TEXT NOT NULL,
	eth_src TEXT			-- the frame's source MAC, when Ethernet
);
CREATE INDEX arp_all_artifact ON arp_all(artifact_id);
CREATE VIEW arp AS
	SELECT r.ts + a.clock_offset AS ts, r.op, r.sender_mac, r.sender_ip,
	       r.target_mac, r.target_ip, r.eth_src, r.pkt, r.artifact_id
	FROM arp_all r JOIN artifact_all a ON a.id = r.artifact_id
	WHERE a.state = 'complete';

-- One DHCP message.
CREATE TABLE dhcp_all(
	artifact_id INTEGER NOT NULL,
	flow_no INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	msg_type TEXT,
	xid INTEGER NOT NULL,
	client_mac TEXT,
	ciaddr TEXT,
	yiaddr TEXT,
	requested_ip TEXT,
	server_id TEXT,
	hostname TEXT
);
CREATE INDEX dhcp_all_artifact ON dhcp_all(artifact_id);
CREATE VIEW dhcp AS
	SELECT d.ts + a.clock_offset AS ts, f.id AS flow_id, d.msg_type,
	       d.xid, d.client_mac, d.ciaddr, d.yiaddr, d.requested_ip,
	       d.server_id, d.hostname, d.artifact_id
	FROM dhcp_all d JOIN artifact_all a ON a.id = d.artifact_id
	JOIN flow_all f ON f.artifact_id = d.artifact_id AND
	     f.flow_no = d.flow_no
	WHERE a.state = 'complete';

-- The packet index: chunks of consecutive packets of one capture, each a
-- column-encoded, zstd-compressed record of (ts, caplen, wirelen,
-- flow_no) per packet (see core/pktstore.c), with the chunk's packet
-- number range and time range for skipping. The packet bytes themselves
-- stay in the stored original: export-pcap re-reads it.
CREATE TABLE packet_chunks(
	id INTEGER PRIMARY KEY,
	artifact_id INTEGER NOT NULL,
	first_pkt INTEGER NOT NULL,
	npkts INTEGER NOT NULL,
	ts_min INTEGER NOT NULL,
	ts_max INTEGER NOT NULL,
	codec INTEGER NOT NULL,		-- as chunks.codec: 0 stored, 1 zstd
	raw_len INTEGER NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX packet_chunks_artifact ON packet_chunks(artifact_id, first_pkt);

-- migration 5
-- Container images (ingest/imp-image.c). An archive (docker save, OCI
-- layout tar or directory) holds images and layer blobs; each layer is
-- walked once per archive and numbered by the archive (layer_no). Layers
-- are content-addressed by diff_id (the SHA-256 of the uncompressed tar):
-- the public `layers` relation holds one row per diff_id (the first
-- complete archive that indexed it), and an archive that ships a layer
-- already indexed keeps its layer_all row (for its own digests) but no
-- file rows (dup_of names the indexing layer_all row).
--
-- Where a layer's bytes are: blob_id/blob_off locate its uncompressed tar
-- stream, either inside the archive's stored original (an uncompressed
-- layer in an uncompressed archive: blob_id is the artifact's blob, no
-- copy is kept) or as a blob of its own (a decompressed gzip or zstd
-- layer). A file's content is data_off..data_off+size in that stream.
CREATE TABLE layer_all(
	id INTEGER PRIMARY KEY,
	artifact_id INTEGER NOT NULL,
	layer_no INTEGER NOT NULL,
	member TEXT,			-- archive member (or blob path) holding it
	diff_id TEXT NOT NULL,		-- sha256:HEX of the uncompressed tar
	digest TEXT NOT NULL,		-- sha256:HEX of the blob as stored
	compression TEXT NOT NULL,	-- none, gzip, zstd
	blob_size INTEGER NOT NULL,	-- bytes as stored
	size INTEGER NOT NULL,		-- bytes uncompressed
	nfiles INTEGER NOT NULL,
	blob_id INTEGER,		-- the uncompressed stream's blob
	blob_off INTEGER,		-- and where it starts in it
	dup_of INTEGER,			-- layer_all.id that holds the files
	member_off INTEGER,		-- the blob as stored: its offset in the
					-- archive's original (NULL: not there)
	unverified INTEGER		-- 1: digest still to prove by its chunks
);
CREATE UNIQUE INDEX layer_all_no ON layer_all(artifact_id, layer_no);
CREATE INDEX layer_all_diff ON layer_all(diff_id);

-- One entry of a layer tar. Paths are absolute and normalised ('/etc/x').
-- whiteout: 0 an entry; 1 a whiteout ('.wh.NAME': path is the deleted
-- path); 2 an opaque directory ('.wh..wh..opq': path is the directory).
-- type: file, dir, symlink, hardlink, char, block, fifo, whiteout.
CREATE TABLE file_all(
	artifact_id INTEGER NOT NULL,
	layer_no INTEGER NOT NULL,
	path TEXT NOT NULL,
	whiteout INTEGER NOT NULL DEFAULT 0,
	type TEXT NOT NULL,
	mode INTEGER NOT NULL,		-- permission bits with setuid/setgid/sticky
	uid INTEGER,
	gid INTEGER,
	size INTEGER NOT NULL,
	mtime INTEGER,			-- ns since the epoch, NULL unknown
	sha256 TEXT,			-- hex, regular files
	link_target TEXT,
	data_off INTEGER,		-- content offset in the layer's stream
	xattrs TEXT,			-- JSON object name -> value (text or hex)
	PRIMARY KEY(artifact_id, layer_no, path, whiteout)
) WITHOUT ROWID;
CREATE INDEX file_all_path ON file_all(path);
CREATE INDEX file_all_sha ON file_all(sha256);

CREATE TABLE image_all(
	id INTEGER PRIMARY KEY,
	artifact_id INTEGER NOT NULL,
	image_no INTEGER NOT NULL,	-- order in the archive's manifest
	ref TEXT,			-- first tag or reference name
	tags TEXT,			-- JSON array of every tag / ref name
	config_digest TEXT NOT NULL,	-- sha256:HEX (the image id)
	manifest_digest TEXT,
	os TEXT, arch TEXT, variant TEXT,
	created INTEGER,		-- ns since the epoch
	author TEXT,
	user TEXT,
	entrypoint TEXT,		-- JSON array
	cmd TEXT,			-- JSON array
	env TEXT,			-- JSON array of K=V
	exposed_ports TEXT,		-- JSON array of "80/tcp"
	labels TEXT,			-- JSON object
	working_dir TEXT,
	healthcheck TEXT,		-- JSON object
	stop_signal TEXT,
	volumes TEXT,			-- JSON array
	nlayers INTEGER NOT NULL
);
CREATE UNIQUE INDEX image_all_no ON image_all(artifact_id, image_no);

-- The image's history, one row per history entry in order (idx), aligned
-- with its layers: layer_idx is the position in rootfs.diff_ids (NULL for
-- an empty_layer step), layer_no the archive's layer that holds it (NULL
-- when the archive lacks the blob).
CREATE TABLE image_step_all(
	artifact_id INTEGER NOT NULL,
	image_no INTEGER NOT NULL,
	idx INTEGER NOT NULL,
	layer_idx INTEGER,
	layer_no INTEGER,
	diff_id TEXT,
	created INTEGER,
	created_by TEXT,
	comment TEXT,
	empty_layer INTEGER NOT NULL,
	step_key TEXT,			-- ingest/dockerfile.h: matches dockerfile_all.key
	PRIMARY KEY(artifact_id, image_no, idx)
) WITHOUT ROWID;
CREATE INDEX image_step_all_key ON image_step_all(step_key);

-- Each image's merged tree (layers applied in order, whiteouts and opaque
-- directories honoured), computed when its archive is imported: the
-- layer_all row that last wrote each path (the indexing row, dup_of
-- resolved).
CREATE TABLE fs_all(
	artifact_id INTEGER NOT NULL,
	image_no INTEGER NOT NULL,
	path TEXT NOT NULL,
	type TEXT NOT NULL,
	mode INTEGER NOT NULL,
	uid INTEGER,
	gid INTEGER,
	size INTEGER NOT NULL,
	mtime INTEGER,
	sha256 TEXT,
	link_target TEXT,
	layer_id INTEGER NOT NULL,
	PRIMARY KEY(artifact_id, image_no, path)
) WITHOUT ROWID;
CREATE INDEX fs_all_path ON fs_all(path);

CREATE VIEW layers AS
	SELECT l.id, l.diff_id, l.digest, l.size, l.blob_size,
	       l.compression, l.nfiles, l.artifact_id, l.member
	FROM layer_all l JOIN artifact_all a ON a.id = l.artifact_id
	WHERE a.state = 'complete' AND l.dup_of IS NULL;
CREATE VIEW images AS
	SELECT i.id, i.ref, i.config_digest, i.tags, i.manifest_digest, i.os,
	       i.arch, i.variant, i.created, i.author, i.user, i.entrypoint,
	       i.cmd, i.env, i.exposed_ports, i.labels, i.working_dir,
	       i.healthcheck, i.stop_signal, i.volumes, i.nlayers,
	       i.artifact_id, i.image_no
	FROM image_all i JOIN artifact_all a ON a.id = i.artifact_id
	WHERE a.state = 'complete';
CREATE VIEW image_layers AS
	SELECT i.id AS image_id, s.idx, coalesce(l.dup_of, l.id) AS layer_id,
	       s.created_by, s.empty_layer, s.layer_idx, s.diff_id, s.created,
	       s.comment
	FROM image_step_all s
	JOIN image_all i ON i.artifact_id = s.artifact_id AND
	     i.image_no = s.image_no
	JOIN artifact_all a ON a.id = s.artifact_id
	LEFT JOIN layer_all l ON l.artifact_id = s.artifact_id AND
	     l.layer_no = s.layer_no
	WHERE a.state = 'complete';
CREATE VIEW files AS
	SELECT l.id AS layer_id, f.path, f.type, f.mode, f.uid, f.gid, f.size,
	       f.mtime, f.sha256, f.link_target, f.whiteout, f.data_off,
	       f.xattrs
	FROM file_all f
	JOIN layer_all l ON l.artifact_id = f.artifact_id AND
	     l.layer_no = f.layer_no
	JOIN artifact_all a ON a.id = f.artifact_id
	WHERE a.state = 'complete';
CREATE VIEW fs AS
	SELECT i.id AS image_id, f.path, f.type, f.mode, f.uid, f.gid, f.size,
	       f.mtime, f.sha256, f.link_target, f.layer_id
	FROM fs_all f
	JOIN image_all i ON i.artifact_id = f.artifact_id AND
	     i.image_no = f.image_no
	JOIN artifact_all a ON a.id = f.artifact_id
	WHERE a.state = 'complete';

-- Packages found in a layer's package databases (ingest/pkgdb.c): one row
-- per package per database file (path) per layer. A layer already indexed
-- elsewhere (layer_all.dup_of) keeps none, like its files.
CREATE TABLE package_all(
	artifact_id INTEGER NOT NULL,
	layer_no INTEGER NOT NULL,
	path TEXT NOT NULL,		-- the database file in the layer
	name TEXT NOT NULL,
	version TEXT NOT NULL,
	ecosystem TEXT NOT NULL,	-- OSV ecosystem: Debian, Alpine, PyPI...
	purl TEXT,
	source TEXT,			-- source package (dpkg Source:, apk origin)
	arch TEXT,
	license TEXT
);
CREATE INDEX package_all_layer ON package_all(artifact_id, layer_no, path,
	name, version);
CREATE INDEX package_all_name ON package_all(ecosystem, name);
-- The packages of each image: those of the database files its merged tree
-- holds (the layer that last wrote each database), with the layer (and
-- history step) that first shipped that name at that version.
CREATE VIEW packages AS
	SELECT f.image_id, p.name, p.version, p.ecosystem, p.purl, p.source,
	       p.arch, p.license, p.path,
	       (SELECT il.layer_id FROM image_layers il
		JOIN layer_all l2 ON l2.id = il.layer_id
		JOIN package_all p2 ON p2.artifact_id = l2.artifact_id AND
		     p2.layer_no = l2.layer_no AND p2.path = p.path AND
		     p2.name = p.name AND p2.version = p.version
		WHERE il.image_id = f.image_id ORDER BY il.idx LIMIT 1)
	       AS layer_id
	FROM fs f JOIN layer_all l ON l.id = f.layer_id
	JOIN package_all p ON p.artifact_id = l.artifact_id AND
	     p.layer_no = l.layer_no AND p.path = f.path;

-- Vulnerability records an analyst loaded (`drydock vulndb import`, OSV
-- JSON): reference data, not evidence; each load is in custody.
CREATE TABLE vulns(
	id TEXT PRIMARY KEY,		-- OSV id (GHSA-..., CVE-..., DSA-...)
	modified TEXT,
	published TEXT,
	withdrawn TEXT,
	summary TEXT,
	details TEXT,
	aliases TEXT,			-- JSON array
	severity TEXT,			-- JSON array as OSV gives it
	source TEXT,			-- the file it came from
	sha256 TEXT			-- of that file
);
-- One affected package of a record: ranges and versions as OSV JSON.
CREATE TABLE vuln_affected(
	vuln_id TEXT NOT NULL,
	ecosystem TEXT NOT NULL,	-- as OSV spells it (Debian:12 kept)
	name TEXT NOT NULL,
	purl TEXT,
	ranges TEXT,			-- JSON array of {type, events}
	versions TEXT			-- JSON array of exact versions
);
CREATE INDEX vuln_affected_name ON vuln_affected(name);

-- Where a file of an image came from: for each path of each image's
-- merged tree, the layer (and history step, the Dockerfile instruction)
-- that first shipped its current content (the earliest layer of the image
-- holding that path with that SHA-256; a directory or link: the same
-- type), and the layer that last wrote it. `drydock whence` reads it.
CREATE VIEW file_origins AS
	SELECT f.image_id, f.path, f.type, f.sha256, f.size,
	       il.layer_id, il.idx AS step, il.created_by, l.diff_id,
	       f.layer_id AS last_layer_id
	FROM fs f
	JOIN image_layers il ON il.image_id = f.image_id AND il.idx = (
		SELECT min(s.idx) FROM image_layers s
		JOIN layer_all la ON la.id = s.layer_id
		JOIN file_all x ON x.artifact_id = la.artifact_id AND
		     x.layer_no = la.layer_no AND x.path = f.path AND
		     x.whiteout = 0 AND x.type = f.type AND
		     x.sha256 IS f.sha256
		WHERE s.image_id = f.image_id)
	JOIN layer_all l ON l.id = il.layer_id;

-- Dockerfile instructions (ingest/imp-dockerfile.c), one per instruction:
-- its first and last line, build stage (0 the first FROM's; -1 for ARGs
-- before any FROM) and the match key of ingest/dockerfile.h.
CREATE TABLE dockerfile_all(
	artifact_id INTEGER NOT NULL,
	line INTEGER NOT NULL,
	end_line INTEGER NOT NULL,
	stage INTEGER NOT NULL,
	stage_name TEXT,
	instruction TEXT NOT NULL,
	args TEXT NOT NULL,
	key TEXT NOT NULL,
	PRIMARY KEY(artifact_id, line)
) WITHOUT ROWID;
CREATE INDEX dockerfile_all_key ON dockerfile_all(key);
CREATE VIEW dockerfile AS
	SELECT d.artifact_id, d.line, d.end_line, d.stage, d.stage_name,
	       d.instruction, d.args
	FROM dockerfile_all d JOIN artifact_all a ON a.id = d.artifact_id
	WHERE a.state = 'complete';
-- Which Dockerfile line made which history step of which image: equal
-- keys, the Dockerfile's last stage only (earlier stages ship nothing
-- into the image's history).
CREATE VIEW dockerfile_steps AS
	SELECT i.id AS image_id, s.idx, s.created_by, d.artifact_id AS
	       dockerfile_id, d.line, d.end_line, d.instruction, d.args
	FROM image_step_all s
	JOIN image_all i ON i.artifact_id = s.artifact_id AND
	     i.image_no = s.image_no
	JOIN artifact_all a ON a.id = s.artifact_id AND a.state = 'complete'
	JOIN dockerfile_all d ON d.key = s.step_key AND d.stage = (
		SELECT max(x.stage) FROM dockerfile_all x
		WHERE x.artifact_id = d.artifact_id)
	JOIN artifact_all b ON b.id = d.artifact_id AND b.state = 'complete';

-- Provenance and trust records of an archive's images: BuildKit
-- attestation manifests (in-toto statements: SLSA provenance, SPDX
-- SBOMs), cosign signature manifests and OCI referrers. subject is the
-- image manifest digest they are about (images.manifest_digest).
CREATE TABLE provenance_all(
	artifact_id INTEGER NOT NULL,
	kind TEXT NOT NULL,		-- attestation, signature, referrer
	subject TEXT,			-- sha256:HEX of the image manifest
	predicate_type TEXT,		-- in-toto predicateType / artifactType
	builder TEXT,			-- SLSA builder id
	entry_point TEXT,		-- the Dockerfile's name (SLSA config source)
	build_args TEXT,		-- JSON object
	materials TEXT,			-- JSON array of {uri, digest}
	dockerfile TEXT,		-- its text, when BuildKit recorded it
	packages INTEGER,		-- packages an SBOM attestation lists
	blob TEXT,			-- sha256:HEX of the statement / signature blob
	detail TEXT			-- JSON: signature, certificate, annotations
);
CREATE INDEX provenance_all_subject ON provenance_all(subject);
CREATE VIEW provenance AS
	SELECT (SELECT i.id FROM image_all i WHERE i.manifest_digest =
		p.subject AND i.artifact_id = p.artifact_id) AS image_id,
	       p.kind, p.subject, p.predicate_type, p.builder, p.entry_point,
	       p.build_args, p.materials, p.dockerfile, p.packages, p.blob,
	       p.detail, p.artifact_id
	FROM provenance_all p JOIN artifact_all a ON a.id = p.artifact_id
	WHERE a.state = 'complete';

-- migration 6
-- Hosts and processes: ELF cores (ingest/imp-core.c), /proc snapshots
-- (ingest/imp-procsnap.c) and container metadata (ingest/imp-inspect.c).
-- A core or a snapshot holds one process per pid, so the rows below name
-- their process by (artifact_id, pid); the views join process_all for
-- processes.id. Addresses are text: 16 lower-case hex digits, zero-padded
-- (so they sort and compare as text; SQLite integers are signed).

-- Memory mappings: one row per PT_LOAD of a core (source 'core'; data_off
-- is where the segment's bytes start in the core's stored original and
-- data_size how many are there: 0 when the kernel or gdb left them out)
-- or per line of a snapshot's maps (source 'maps', no bytes). offset is
-- the byte offset in path (NT_FILE, or the maps column).
CREATE TABLE mapping_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	seq INTEGER NOT NULL,		-- order in the source
	start TEXT NOT NULL,
	end TEXT NOT NULL,
	size INTEGER NOT NULL,		-- end - start (memsz)
	perms TEXT NOT NULL,		-- "rwx" with '-' gaps, then 'p'/'s' for maps
	offset INTEGER,
	path TEXT,			-- backing file, [heap], [stack]... or NULL
	dev TEXT,			-- maps' major:minor
	inode INTEGER,
	source TEXT NOT NULL,		-- core, maps
	data_off INTEGER,
	data_size INTEGER,
	PRIMARY KEY(artifact_id, pid, seq)
) WITHOUT ROWID;
CREATE VIEW mappings AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		m.artifact_id AND p.pid = m.pid) AS process_id,
	       m.start, m.end, m.perms, m.offset, m.path, m.size, m.dev,
	       m.inode, m.source, m.data_off, m.data_size, m.pid, m.seq,
	       m.artifact_id
	FROM mapping_all m JOIN artifact_all a ON a.id = m.artifact_id
	WHERE a.state = 'complete';

-- Threads: a core's NT_PRSTATUS notes (tid, the signal, pc and sp) or a
-- snapshot's task/<tid> entries (state, comm).
CREATE TABLE thread_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	tid INTEGER NOT NULL,
	comm TEXT,
	state TEXT,
	signal INTEGER,			-- pr_cursig
	pc TEXT,
	sp TEXT,
	PRIMARY KEY(artifact_id, pid, tid)
) WITHOUT ROWID;
CREATE VIEW threads AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		t.artifact_id AND p.pid = t.pid) AS process_id,
	       t.pid, t.tid, t.comm, t.state, t.signal, t.pc, t.sp, t.artifact_id
	FROM thread_all t JOIN artifact_all a ON a.id = t.artifact_id
	WHERE a.state = 'complete';

-- What a snapshot's status (or a core's PRPSINFO, SIGINFO and AUXV) says
-- of a process beyond processes: identity, credentials, capability sets
-- (integers; the capabilities view decodes them), seccomp mode, the pid
-- in each nested pid namespace (NSpid, outermost first), the LSM label,
-- cwd and root link targets, the fatal signal of a core, and the rule that
-- gave processes.container_id (cgroup: the cgroup path names it).
CREATE TABLE procinfo_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	state TEXT,
	uid INTEGER, euid INTEGER, suid INTEGER, fsuid INTEGER,
	gid INTEGER, egid INTEGER,
	cap_inh INTEGER, cap_prm INTEGER, cap_eff INTEGER, cap_bnd INTEGER,
	cap_amb INTEGER,
	seccomp INTEGER,		-- 0 off, 1 strict, 2 filter
	no_new_privs INTEGER,
	nspid TEXT,			-- "12120 2"
	lsm TEXT,			-- attr/current
	cwd TEXT,
	root TEXT,
	signal INTEGER,			-- a core's fatal signal (SIGINFO)
	exec_fn TEXT,			-- a core's AT_EXECFN string
	container_rule TEXT,
	PRIMARY KEY(artifact_id, pid)
) WITHOUT ROWID;
CREATE VIEW process_info AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		i.artifact_id AND p.pid = i.pid) AS process_id, i.*
	FROM procinfo_all i JOIN artifact_all a ON a.id = i.artifact_id
	WHERE a.state = 'complete';
-- linux include/uapi/linux/capability.h, CAP_LAST_CAP 40 (6.x).
CREATE TABLE cap_names(bit INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO cap_names VALUES (0,'CHOWN'),(1,'DAC_OVERRIDE'),
	(2,'DAC_READ_SEARCH'),(3,'FOWNER'),(4,'FSETID'),(5,'KILL'),
	(6,'SETGID'),(7,'SETUID'),(8,'SETPCAP'),(9,'LINUX_IMMUTABLE'),
	(10,'NET_BIND_SERVICE'),(11,'NET_BROADCAST'),(12,'NET_ADMIN'),
	(13,'NET_RAW'),(14,'IPC_LOCK'),(15,'IPC_OWNER'),(16,'SYS_MODULE'),
	(17,'SYS_RAWIO'),(18,'SYS_CHROOT'),(19,'SYS_PTRACE'),(20,'SYS_PACCT'),
	(21,'SYS_ADMIN'),(22,'SYS_BOOT'),(23,'SYS_NICE'),(24,'SYS_RESOURCE'),
	(25,'SYS_TIME'),(26,'SYS_TTY_CONFIG'),(27,'MKNOD'),(28,'LEASE'),
	(29,'AUDIT_WRITE'),(30,'AUDIT_CONTROL'),(31,'SETFCAP'),
	(32,'MAC_OVERRIDE'),(33,'MAC_ADMIN'),(34,'SYSLOG'),(35,'WAKE_ALARM'),
	(36,'BLOCK_SUSPEND'),(37,'AUDIT_READ'),(38,'PERFMON'),(39,'BPF'),
	(40,'CHECKPOINT_RESTORE');
-- One row per capability in each set of each process (no storage: the
-- sets are decoded against cap_names; bits above 40 are named CAP_<bit>).
CREATE VIEW capabilities AS
	WITH sets(artifact_id, pid, cset, v) AS (
		SELECT artifact_id, pid, 'eff', cap_eff FROM procinfo_all
		UNION ALL SELECT artifact_id, pid, 'prm', cap_prm FROM procinfo_all
		UNION ALL SELECT artifact_id, pid, 'bnd', cap_bnd FROM procinfo_all
		UNION ALL SELECT artifact_id, pid, 'inh', cap_inh FROM procinfo_all
		UNION ALL SELECT artifact_id, pid, 'amb', cap_amb FROM procinfo_all),
	bits(b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM bits WHERE b < 62)
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		s.artifact_id AND p.pid = s.pid) AS process_id, s.pid,
	       s.cset AS "set", coalesce(n.name, 'CAP_' || bits.b) AS cap,
	       s.artifact_id
	FROM sets s JOIN artifact_all a ON a.id = s.artifact_id AND
	     a.state = 'complete'
	JOIN bits ON s.v IS NOT NULL AND (s.v >> bits.b) & 1
	LEFT JOIN cap_names n ON n.bit = bits.b;

-- Namespaces of a process (the ns/<kind> link targets: "pid:[4026531836]"
-- is kind pid, inode 4026531836). An unreadable link has no row.
CREATE TABLE namespace_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	kind TEXT NOT NULL,		-- cgroup ipc mnt net pid pid_for_children time ...
	inode INTEGER NOT NULL,
	PRIMARY KEY(artifact_id, pid, kind)
) WITHOUT ROWID;
CREATE INDEX namespace_all_inode ON namespace_all(kind, inode);
CREATE VIEW namespaces AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		n.artifact_id AND p.pid = n.pid) AS process_id,
	       n.pid, n.kind, n.inode, n.artifact_id
	FROM namespace_all n JOIN artifact_all a ON a.id = n.artifact_id
	WHERE a.state = 'complete';

-- /proc/<pid>/cgroup lines (hierarchy 0 with no controllers is v2).
CREATE TABLE cgroup_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	hierarchy INTEGER NOT NULL,
	controllers TEXT NOT NULL,
	path TEXT NOT NULL,
	PRIMARY KEY(artifact_id, pid, hierarchy, controllers)
) WITHOUT ROWID;
CREATE VIEW cgroups AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		c.artifact_id AND p.pid = c.pid) AS process_id,
	       c.pid, c.hierarchy, c.controllers, c.path, c.artifact_id
	FROM cgroup_all c JOIN artifact_all a ON a.id = c.artifact_id
	WHERE a.state = 'complete';

-- Open file descriptors (fd/<n> link targets, fdinfo pos and flags).
-- kind: file, socket, pipe, anon, other; inode for socket:[N] / pipe:[N].
CREATE TABLE fd_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	fd INTEGER NOT NULL,
	target TEXT,
	kind TEXT,
	inode INTEGER,
	pos INTEGER,
	flags INTEGER,
	PRIMARY KEY(artifact_id, pid, fd)
) WITHOUT ROWID;
CREATE INDEX fd_all_inode ON fd_all(inode) WHERE inode IS NOT NULL;
CREATE VIEW open_files AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		f.artifact_id AND p.pid = f.pid) AS process_id,
	       f.pid, f.fd, f.target, f.kind, f.inode, f.pos, f.flags,
	       f.artifact_id
	FROM fd_all f JOIN artifact_all a ON a.id = f.artifact_id
	WHERE a.state = 'complete';

-- Socket tables (net/tcp, tcp6, udp, udp6, raw, unix) as one network
-- namespace saw them: netns is its inode when known, pid the process the
-- table was read through (NULL for the collector's host tables).
-- Addresses as text (IPv4 dotted, IPv6 compressed); path for unix.
CREATE TABLE socket_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER,
	netns INTEGER,
	proto TEXT NOT NULL,		-- tcp tcp6 udp udp6 raw raw6 unix
	local TEXT, lport INTEGER,
	remote TEXT, rport INTEGER,
	state TEXT,			-- LISTEN, ESTABLISHED... (tcp), unix type/state
	uid INTEGER,
	inode INTEGER,
	path TEXT
);
CREATE INDEX socket_all_inode ON socket_all(artifact_id, inode);
-- Sockets with the processes holding them (through fd_all's socket:[N]).
CREATE VIEW sockets AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		f.artifact_id AND p.pid = f.pid) AS process_id,
	       f.pid AS owner_pid, f.fd, s.proto, s.local, s.lport, s.remote,
	       s.rport, s.state, s.uid, s.inode, s.path, s.netns, s.artifact_id
	FROM socket_all s JOIN artifact_all a ON a.id = s.artifact_id AND
	     a.state = 'complete'
	LEFT JOIN fd_all f ON f.artifact_id = s.artifact_id AND
	     f.inode = s.inode AND f.kind = 'socket' AND s.inode <> 0;

-- Mount tables (mountinfo) per mount namespace: mnt_ns is the mnt
-- namespace inode, or -pid when the process's mnt link was unreadable.
CREATE TABLE mount_all(
	artifact_id INTEGER NOT NULL,
	mnt_ns INTEGER NOT NULL,
	mount_id INTEGER NOT NULL,
	parent_id INTEGER,
	devno TEXT,			-- major:minor
	root TEXT,
	mountpoint TEXT NOT NULL,
	options TEXT,
	fstype TEXT,
	source TEXT,
	super_options TEXT,
	PRIMARY KEY(artifact_id, mnt_ns, mount_id)
) WITHOUT ROWID;
CREATE VIEW mounts AS
	SELECT m.* FROM mount_all m JOIN artifact_all a ON a.id = m.artifact_id
	WHERE a.state = 'complete';

-- Environment variables (environ, NUL-separated NAME=VALUE).
CREATE TABLE environ_all(
	artifact_id INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY(artifact_id, pid, seq)
) WITHOUT ROWID;
CREATE VIEW environ AS
	SELECT (SELECT p.id FROM process_all p WHERE p.artifact_id =
		v.artifact_id AND p.pid = v.pid) AS process_id,
	       v.pid, v.seq, v.name, v.value, v.artifact_id
	FROM environ_all v JOIN artifact_all a ON a.id = v.artifact_id
	WHERE a.state = 'complete';

-- Container configuration as docker/podman/crictl inspect reported it
-- (containers and container_aliases hold id, name, image, privileged and
-- addresses). Modes are the runtime's text ("host", "private",
-- "container:ID", ""); seccomp and apparmor the profile named
-- ("unconfined", a path or name; NULL when the runtime said nothing, ''
-- when it reported an empty value).
CREATE TABLE container_meta_all(
	container_id TEXT NOT NULL,
	artifact_id INTEGER NOT NULL,
	runtime TEXT,			-- docker podman cri
	state TEXT,			-- running exited ...
	pid INTEGER,			-- host pid of its init (0: not running)
	started TEXT,			-- as reported (RFC 3339)
	user TEXT,
	readonly_rootfs INTEGER,
	pid_mode TEXT, net_mode TEXT, ipc_mode TEXT, uts_mode TEXT,
	userns_mode TEXT, cgroupns_mode TEXT,
	cgroup_parent TEXT,
	seccomp TEXT,
	apparmor TEXT,
	no_new_privs INTEGER,
	memory_limit INTEGER,		-- bytes, 0 none
	cpu_limit INTEGER,		-- nano CPUs (or quota*1e9/period), 0 none
	pids_limit INTEGER,		-- 0 or negative: none
	hostname TEXT,
	image_digest TEXT,
	command TEXT,			-- entrypoint + args joined by spaces
	security_opt TEXT,		-- JSON array as reported
	labels TEXT,			-- JSON object
	PRIMARY KEY(container_id, artifact_id)
) WITHOUT ROWID;
CREATE VIEW container_meta AS
	SELECT m.* FROM container_meta_all m JOIN artifact_all a ON
	     a.id = m.artifact_id WHERE a.state = 'complete';
-- Mounts and binds of a container (type bind, volume, tmpfs...; rw 1/0).
CREATE TABLE container_mount_all(
	container_id TEXT NOT NULL,
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	type TEXT,
	source TEXT,
	destination TEXT NOT NULL,
	rw INTEGER,
	propagation TEXT,
	PRIMARY KEY(container_id, artifact_id, seq)
) WITHOUT ROWID;
CREATE VIEW container_mounts AS
	SELECT m.container_id, m.type, m.source, m.destination, m.rw,
	       m.propagation, m.artifact_id
	FROM container_mount_all m JOIN artifact_all a ON
	     a.id = m.artifact_id WHERE a.state = 'complete';
-- Devices given to a container.
CREATE TABLE container_device_all(
	container_id TEXT NOT NULL,
	artifact_id INTEGER NOT NULL,
	host_path TEXT NOT NULL,
	container_path TEXT,
	permissions TEXT
);
CREATE VIEW container_devices AS
	SELECT d.container_id, d.host_path, d.container_path, d.permissions,
	       d.artifact_id
	FROM container_device_all d JOIN artifact_all a ON
	     a.id = d.artifact_id WHERE a.state = 'complete';
-- Capabilities added or dropped (cap upper-case without CAP_; ALL kept).
CREATE TABLE container_cap_all(
	container_id TEXT NOT NULL,
	artifact_id INTEGER NOT NULL,
	op TEXT NOT NULL,		-- add, drop
	cap TEXT NOT NULL,
	PRIMARY KEY(container_id, artifact_id, op, cap)
) WITHOUT ROWID;
CREATE VIEW container_caps AS
	SELECT DISTINCT c.container_id, c.op, c.cap
	FROM container_cap_all c JOIN artifact_all a ON
	     a.id = c.artifact_id WHERE a.state = 'complete';

-- Container attribution computed across artifacts by core/attrib.c after
-- every import (derived: rebuilt each time) for processes no importer
-- attributed: rule 'inspect_pid' (the pid is a container's State.Pid) or
-- 'namespace' (its pid, mnt and net namespaces are those of a process
-- attributed to a container).
CREATE TABLE attribution(
	process_id INTEGER PRIMARY KEY,
	container_id TEXT NOT NULL,
	rule TEXT NOT NULL
);
DROP VIEW processes;
CREATE VIEW processes AS
	SELECT p.id, p.pid, p.ppid, p.comm, p.exe, p.args,
	       coalesce(p.container_id, t.container_id) AS container_id,
	       p.start_ts + a.clock_offset AS start_ts,
	       p.end_ts + a.clock_offset AS end_ts,
	       p.exit_code, p.exit_signal, p.artifact_id,
	       CASE WHEN p.container_id IS NOT NULL THEN coalesce(
		(SELECT i.container_rule FROM procinfo_all i WHERE
		 i.artifact_id = p.artifact_id AND i.pid = p.pid), 'trace')
		ELSE t.rule END AS container_rule
	FROM process_all p JOIN artifact_all a ON a.id = p.artifact_id
	LEFT JOIN attribution t ON t.process_id = p.id
	WHERE a.state = 'complete';

-- migration 7
-- Container logs (ingest/imp-ctrlog.c): Docker json-file, CRI (kubelet,
-- podman k8s-file) and journald JSON exports, one row per message in file
-- order (a message split into partial records is joined). container_id is
-- the full id when the file's name or the record gives it; name the
-- container or pod name the source gives otherwise.
CREATE TABLE log_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	ts INTEGER,
	container_id TEXT,
	name TEXT,
	stream TEXT,
	message TEXT NOT NULL,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE INDEX log_all_ts ON log_all(ts);
CREATE VIEW logs AS
	SELECT l.ts + a.clock_offset AS ts, l.container_id, l.stream,
	       l.message, l.name, l.artifact_id, l.seq
	FROM log_all l JOIN artifact_all a ON a.id = l.artifact_id
	WHERE a.state = 'complete';

-- migration 8
-- Kubernetes API-server audit events (ingest/imp-k8saudit.c), one row per
-- event (audit.k8s.io/v1, JSON lines, an array or an EventList). When the
-- request carries a pod spec (a pod or a workload's template), its risky
-- settings are kept: privileged containers, host namespaces, hostPath
-- volumes, added capabilities, images (comma-separated lists).
CREATE TABLE k8s_audit_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	ts INTEGER,
	audit_id TEXT,
	stage TEXT,
	verb TEXT,
	user TEXT,
	groups TEXT,			-- JSON array
	source_ip TEXT,
	user_agent TEXT,
	api_group TEXT,
	resource TEXT,
	subresource TEXT,
	namespace TEXT,
	name TEXT,
	request_uri TEXT,
	code INTEGER,
	decision TEXT,			-- authorization.k8s.io/decision
	privileged INTEGER,		-- 1 when a container asks for it
	host_pid INTEGER, host_network INTEGER, host_ipc INTEGER,
	host_paths TEXT,
	caps_add TEXT,
	images TEXT,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE INDEX k8s_audit_all_ts ON k8s_audit_all(ts);
CREATE VIEW k8s_audit AS
	SELECT k.ts + a.clock_offset AS ts, k.audit_id, k.stage, k.verb,
	       k.user, k.groups, k.source_ip, k.user_agent, k.api_group,
	       k.resource, k.subresource, k.namespace, k.name, k.request_uri,
	       k.code, k.decision, k.privileged, k.host_pid, k.host_network,
	       k.host_ipc, k.host_paths, k.caps_add, k.images, k.artifact_id,
	       k.seq
	FROM k8s_audit_all k JOIN artifact_all a ON a.id = k.artifact_id
	WHERE a.state = 'complete';

-- migration 9
-- Linux audit events (ingest/imp-audit.c): one row per event (the records
-- sharing node, time and serial). type is the first record's type, as
-- ausearch names the event; types lists every record's. success is 1/0
-- from success= or res=; auid and ses are NULL when unset (4294967295).
-- path/path2 are the first non-PARENT PATH names; family/addr/port the
-- decoded SOCKADDR; argv the EXECVE arguments joined by spaces; op, acct,
-- hostname, remote_addr and res come from user-space records (USER_*,
-- CRED_*...). A SYSCALL event is also an event of kind syscall: event_ord
-- is its ordinal (event ordinals are dense), event_id its events.id. off/len: the event's bytes in
-- the original (len NULL when its records were interleaved with others).
CREATE TABLE audit_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	serial INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	node TEXT,
	type TEXT NOT NULL,
	types TEXT,
	nrecords INTEGER,
	syscall TEXT,
	arch TEXT,
	success INTEGER,
	exit INTEGER,
	pid INTEGER, ppid INTEGER,
	uid INTEGER, euid INTEGER, auid INTEGER, ses INTEGER,
	tty TEXT,
	comm TEXT, exe TEXT, subj TEXT, key TEXT,
	cwd TEXT, path TEXT, path2 TEXT, argv TEXT, proctitle TEXT,
	family TEXT, addr TEXT, port INTEGER,
	op TEXT, acct TEXT, hostname TEXT, remote_addr TEXT, res TEXT,
	off INTEGER, len INTEGER,
	event_ord INTEGER,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE INDEX audit_all_ts ON audit_all(ts);
CREATE VIEW audit AS
	SELECT u.ts + a.clock_offset AS ts, u.serial, u.node, u.type, u.types,
	       u.nrecords, u.syscall, u.arch, u.success, u.exit, u.pid, u.ppid,
	       u.uid, u.euid, u.auid, u.ses, u.tty, u.comm, u.exe, u.subj,
	       u.key, u.cwd, u.path, u.path2, u.argv, u.proctitle, u.family,
	       u.addr, u.port, u.op, u.acct, u.hostname, u.remote_addr, u.res,
	       (u.artifact_id << 40) + u.event_ord AS event_id,
	       u.artifact_id, u.seq, u.off, u.len
	FROM audit_all u JOIN artifact_all a ON a.id = u.artifact_id
	WHERE a.state = 'complete';

-- migration 10
-- Alerts and detections deployed tools raised (ingest/imp-tooljson.c):
-- Falco alerts, Tracee detections. tool names the tool, rule its own rule
-- name (rule_id Tracee's signature id), priority the tool's level and
-- severity ours (info..critical), attack the ATT&CK technique ids among
-- its tags or metadata, fields the tool's own fields as JSON. The
-- `imported` analyzer makes each a finding.
CREATE TABLE alert_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	ts INTEGER,
	tool TEXT NOT NULL,
	rule TEXT,
	rule_id TEXT,
	priority TEXT,
	severity TEXT,
	attack TEXT,
	tags TEXT,
	output TEXT,
	source TEXT,
	hostname TEXT,
	container_id TEXT, container_name TEXT, image TEXT,
	k8s_ns TEXT, k8s_pod TEXT,
	pid INTEGER, tid INTEGER,
	comm TEXT, cmdline TEXT, exe TEXT, user TEXT, path TEXT,
	event TEXT,
	fields TEXT,
	off INTEGER,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE INDEX alert_all_ts ON alert_all(ts);
CREATE VIEW alerts AS
	SELECT l.ts + a.clock_offset AS ts, l.tool, l.rule, l.rule_id,
	       l.priority, l.severity, l.attack, l.tags, l.output, l.source,
	       l.hostname, l.container_id, l.container_name, l.image, l.k8s_ns,
	       l.k8s_pod, l.pid, l.tid, l.comm, l.cmdline, l.exe, l.user,
	       l.path, l.event, l.fields, l.artifact_id, l.seq,
	       l.artifact_id || ':' || l.seq AS key
	FROM alert_all l JOIN artifact_all a ON a.id = l.artifact_id
	WHERE a.state = 'complete';

-- migration 11
-- A container's writable layer against its image (ingest/imp-runtime.c):
-- one row per change as `docker diff` / `podman container diff` print it
-- (change A, C or D), with the entry's type, mode, size, mtime and the
-- SHA-256 of its content (the old one for D), whether it is an
-- executable file, and for C and D the image layer (diff id) that held
-- the previous version. source: overlay2, aufs, vfs, overlay.
CREATE TABLE drift_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	container_id TEXT NOT NULL,
	path TEXT NOT NULL,
	change TEXT NOT NULL CHECK (change IN ('A', 'C', 'D')),
	type TEXT,
	mode INTEGER,
	size INTEGER,
	mtime INTEGER,
	sha256 TEXT,
	layer_id TEXT,
	link TEXT,
	executable INTEGER,
	source TEXT,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE INDEX drift_all_container ON drift_all(container_id);
CREATE VIEW drift AS
	SELECT d.container_id, d.path, d.change, d.size, d.sha256, d.layer_id,
	       d.type, d.mode, d.mtime, d.link, d.executable, d.source,
	       d.artifact_id, d.seq, d.artifact_id || ':' || d.seq AS key
	FROM drift_all d JOIN artifact_all a ON a.id = d.artifact_id
	WHERE a.state = 'complete';
-- The layer directories of a runtime root: role image (diff_id from the
-- layer database), init (Docker's -init layer) or rw (a container's
-- writable layer), with the number of entries read.
CREATE TABLE runtime_layer_all(
	artifact_id INTEGER NOT NULL,
	dir TEXT NOT NULL,
	driver TEXT,
	role TEXT,
	container_id TEXT,
	diff_id TEXT,
	parent TEXT,
	files INTEGER
);
CREATE INDEX runtime_layer_all_artifact ON runtime_layer_all(artifact_id);
CREATE VIEW runtime_layers AS
	SELECT r.dir, r.driver, r.role, r.container_id, r.diff_id, r.parent,
	       r.files, r.artifact_id
	FROM runtime_layer_all r JOIN artifact_all a ON a.id = r.artifact_id
	WHERE a.state = 'complete';

-- migration 12
-- The Docker daemon's configuration (ingest/imp-dockerd.c): one row per
-- setting value, keyed by daemon.json's names (command-line flags mapped
-- to them), from daemon.json, a unit's ExecStart or an option variable.
CREATE TABLE daemon_setting_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	source TEXT,
	line INTEGER,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE VIEW daemon_settings AS
	SELECT d.key, d.value, d.source, d.line, d.artifact_id, d.seq
	FROM daemon_setting_all d JOIN artifact_all a ON a.id = d.artifact_id
	WHERE a.state = 'complete';

-- migration 13
-- Kubernetes manifests (ingest/imp-k8smanifest.c): one row per object
-- (a List's items each), with document index and line; for pods and
-- workloads their pod spec's risky settings as in k8s_audit, plus the
-- container names, service account, automountServiceAccountToken (1/0,
-- NULL unset), whether a container may run as root (1: one has no
-- runAsNonRoot or non-zero runAsUser) and privilege escalation (1
-- allowed somewhere, 0 refused everywhere, NULL unsaid). uid is
-- metadata.uid, which container aliases of kind k8s_uid name.
CREATE TABLE k8s_object_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	doc INTEGER,
	line INTEGER,
	kind TEXT NOT NULL,
	api_version TEXT,
	namespace TEXT,
	name TEXT,
	uid TEXT,
	privileged INTEGER,
	host_pid INTEGER, host_network INTEGER, host_ipc INTEGER,
	host_paths TEXT,
	caps_add TEXT,
	images TEXT,
	containers TEXT,
	service_account TEXT,
	automount_token INTEGER,
	run_as_root INTEGER,
	privilege_escalation INTEGER,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE VIEW k8s_objects AS
	SELECT o.kind, o.api_version, o.namespace, o.name, o.uid,
	       o.privileged, o.host_pid, o.host_network, o.host_ipc,
	       o.host_paths, o.caps_add, o.images, o.containers,
	       o.service_account, o.automount_token, o.run_as_root,
	       o.privilege_escalation, o.doc, o.line, o.artifact_id, o.seq,
	       o.artifact_id || ':' || o.seq AS key
	FROM k8s_object_all o JOIN artifact_all a ON a.id = o.artifact_id
	WHERE a.state = 'complete';

-- migration 14
-- Which containers a manifest's object describes: a Pod by its uid
-- (container aliases of kind k8s_uid, from CRI inspect output and kubelet
-- log paths) and a container name it lists (rule pod_uid); a workload by
-- the names of the pods it made (<name>-<hash>[-<suffix>], alias pod) in
-- its namespace and a container name it lists (rule workload_pod_name).
CREATE VIEW k8s_object_containers AS
	SELECT o.key, o.kind, o.namespace, o.name, u.container_id,
	       'pod_uid' AS rule
	FROM k8s_objects o
	JOIN container_aliases u ON u.kind = 'k8s_uid' AND u.value = o.uid
	WHERE o.kind = 'Pod' AND EXISTS (SELECT 1 FROM container_aliases n
		WHERE n.container_id = u.container_id AND n.kind = 'name' AND
		instr(',' || o.containers || ',', ',' || n.value || ',') > 0)
	UNION
	SELECT o.key, o.kind, o.namespace, o.name, p.container_id,
	       'workload_pod_name' AS rule
	FROM k8s_objects o
	JOIN container_aliases p ON p.kind = 'pod' AND
	     substr(p.value, 1, length(o.name) + 1) = o.name || '-'
	WHERE o.kind IN ('Deployment', 'DaemonSet', 'StatefulSet',
			 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController')
	  AND (o.namespace IS NULL OR EXISTS (SELECT 1 FROM container_aliases q
		WHERE q.container_id = p.container_id AND
		q.kind = 'k8s_namespace' AND q.value = o.namespace))
	  AND EXISTS (SELECT 1 FROM container_aliases n
		WHERE n.container_id = p.container_id AND n.kind = 'name' AND
		instr(',' || o.containers || ',', ',' || n.value || ',') > 0);

-- migration 15
-- Where a drift entry's content is: data_off is the offset of its first
-- byte in the artifact's stored original (artifacts.blob_id), for a
-- regular file of a runtime root or export tar stored as it is read (not
-- compressed); for D rows it is the deleted (image) version's content.
-- NULL: no content (a directory, a link, a compressed original, or a
-- `docker diff` listing).
ALTER TABLE drift_all ADD COLUMN data_off INTEGER;
DROP VIEW drift;
CREATE VIEW drift AS
	SELECT d.container_id, d.path, d.change, d.size, d.sha256, d.layer_id,
	       d.type, d.mode, d.mtime, d.link, d.executable, d.source,
	       d.artifact_id, d.seq, d.artifact_id || ':' || d.seq AS key,
	       d.data_off, CASE WHEN d.data_off IS NOT NULL THEN a.blob_id END
	       AS blob_id
	FROM drift_all d JOIN artifact_all a ON a.id = d.artifact_id
	WHERE a.state = 'complete';

-- migration 16
-- Container logs and audit events in compressed chunks (core/packtab.h):
-- <name>_chunk_all holds up to 4096 records of one artifact per row, and
-- log_all and audit_all are now virtual tables that read them
-- (registered on every connection). Rows imported before stay in
-- <name>_row_all; the views read both.
ALTER TABLE log_all RENAME TO log_row_all;
CREATE TABLE log_chunk_all(
	artifact_id INTEGER NOT NULL,
	first_seq INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	n INTEGER NOT NULL,
	ts_min INTEGER,
	ts_max INTEGER,
	raw_size INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY(artifact_id, first_seq)
) WITHOUT ROWID;
DROP VIEW logs;
CREATE VIEW logs AS
	SELECT l.ts + a.clock_offset AS ts, l.container_id, l.stream,
	       l.message, l.name, l.artifact_id, l.seq
	FROM (SELECT artifact_id, seq, ts, container_id, name, stream, message
	      FROM log_all UNION ALL
	      SELECT artifact_id, seq, ts, container_id, name, stream, message
	      FROM log_row_all) l
	JOIN artifact_all a ON a.id = l.artifact_id
	WHERE a.state = 'complete';
ALTER TABLE audit_all RENAME TO audit_row_all;
CREATE TABLE audit_chunk_all(
	artifact_id INTEGER NOT NULL,
	first_seq INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	n INTEGER NOT NULL,
	ts_min INTEGER,
	ts_max INTEGER,
	raw_size INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY(artifact_id, first_seq)
) WITHOUT ROWID;
DROP VIEW audit;
CREATE VIEW audit AS
	SELECT u.ts + a.clock_offset AS ts, u.serial, u.node, u.type, u.types,
	       u.nrecords, u.syscall, u.arch, u.success, u.exit, u.pid, u.ppid,
	       u.uid, u.euid, u.auid, u.ses, u.tty, u.comm, u.exe, u.subj,
	       u.key, u.cwd, u.path, u.path2, u.argv, u.proctitle, u.family,
	       u.addr, u.port, u.op, u.acct, u.hostname, u.remote_addr, u.res,
	       (u.artifact_id << 40) + u.event_ord AS event_id,
	       u.artifact_id, u.seq, u.off, u.len
	FROM (SELECT artifact_id, seq, serial, ts, node, type, types, nrecords,
		     syscall, arch, success, exit, pid, ppid, uid, euid, auid,
		     ses, tty, comm, exe, subj, key, cwd, path, path2, argv,
		     proctitle, family, addr, port, op, acct, hostname,
		     remote_addr, res, off, len, event_ord FROM audit_all
	      UNION ALL
	      SELECT artifact_id, seq, serial, ts, node, type, types, nrecords,
		     syscall, arch, success, exit, pid, ppid, uid, euid, auid,
		     ses, tty, comm, exe, subj, key, cwd, path, path2, argv,
		     proctitle, family, addr, port, op, acct, hostname,
		     remote_addr, res, off, len, event_ord FROM audit_row_all) u
	JOIN artifact_all a ON a.id = u.artifact_id
	WHERE a.state = 'complete';

-- migration 17
-- Kubernetes audit events packed like logs and audit events (migration
-- 16): k8s_audit_chunk_all, read through the k8s_audit_all virtual table;
-- rows imported before stay in k8s_audit_row_all.
ALTER TABLE k8s_audit_all RENAME TO k8s_audit_row_all;
CREATE TABLE k8s_audit_chunk_all(
	artifact_id INTEGER NOT NULL,
	first_seq INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	n INTEGER NOT NULL,
	ts_min INTEGER,
	ts_max INTEGER,
	raw_size INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY(artifact_id, first_seq)
) WITHOUT ROWID;
DROP VIEW k8s_audit;
CREATE VIEW k8s_audit AS
	SELECT k.ts + a.clock_offset AS ts, k.audit_id, k.stage, k.verb,
	       k.user, k.groups, k.source_ip, k.user_agent, k.api_group,
	       k.resource, k.subresource, k.namespace, k.name, k.request_uri,
	       k.code, k.decision, k.privileged, k.host_pid, k.host_network,
	       k.host_ipc, k.host_paths, k.caps_add, k.images, k.artifact_id,
	       k.seq
	FROM (SELECT artifact_id, seq, ts, audit_id, stage, verb, user, groups,
		     source_ip, user_agent, api_group, resource, subresource,
		     namespace, name, request_uri, code, decision, privileged,
		     host_pid, host_network, host_ipc, host_paths, caps_add,
		     images FROM k8s_audit_all
	      UNION ALL
	      SELECT artifact_id, seq, ts, audit_id, stage, verb, user, groups,
		     source_ip, user_agent, api_group, resource, subresource,
		     namespace, name, request_uri, code, decision, privileged,
		     host_pid, host_network, host_ipc, host_paths, caps_add,
		     images FROM k8s_audit_row_all) k
	JOIN artifact_all a ON a.id = k.artifact_id
	WHERE a.state = 'complete';

-- migration 18
-- Links between rows of different relations (DESIGN.md section 3: this
-- connect is that flow, this exec is that layer's file), each with a
-- confidence and the values joined in detail; written by analyzers (the
-- correlate analyzer) in the transaction of their findings, replaced with
-- them.
CREATE TABLE link_all(
	analyzer TEXT NOT NULL,
	kind TEXT NOT NULL,
	from_relation TEXT NOT NULL,
	from_key TEXT NOT NULL,
	to_relation TEXT NOT NULL,
	to_key TEXT NOT NULL,
	confidence REAL NOT NULL,
	detail TEXT,
	PRIMARY KEY(from_relation, from_key, kind, to_relation, to_key)
) WITHOUT ROWID;
CREATE INDEX link_all_to ON link_all(to_relation, to_key);
CREATE INDEX link_all_analyzer ON link_all(analyzer);
CREATE VIEW links AS
	SELECT kind, from_relation, from_key, to_relation, to_key, confidence,
	       detail, analyzer
	FROM link_all;
-- Which image a container runs, by every name the evidence gives for it
-- (inspect's image id first, prio 0; the image name, prio 1) matched
-- against the images in the case by config digest (with or without
-- sha256:, or a 12+ hex prefix), reference or tag (docker.io/library/,
-- docker.io/ and localhost/ prefixes and :latest implied; tags, a JSON
-- array of strings, are searched as text: json_each is not allowed in a
-- view of an untrusted schema). image_id is NULL when that name's image
-- is not in the case.
CREATE VIEW container_images AS
	SELECT n.container_id, n.prio, n.x AS image_ref,
	       (SELECT i.id FROM images i WHERE i.config_digest = n.x OR
		i.config_digest = 'sha256:' || n.x OR (length(n.x) >= 12 AND
		NOT n.x GLOB '*[^0-9a-f]*' AND
		substr(i.config_digest, 8, length(n.x)) = n.x) OR i.ref = n.x
		OR EXISTS (SELECT 1 FROM (SELECT n.x AS t UNION ALL
		SELECT n.x || ':latest' UNION ALL SELECT 'docker.io/' || n.x
		UNION ALL SELECT 'docker.io/library/' || n.x UNION ALL
		SELECT 'docker.io/' || n.x || ':latest' UNION ALL
		SELECT 'docker.io/library/' || n.x || ':latest' UNION ALL
		SELECT 'localhost/' || n.x UNION ALL
		SELECT 'localhost/' || n.x || ':latest' UNION ALL
		SELECT substr(n.x, 19) WHERE n.x LIKE 'docker.io/library/%'
		UNION ALL SELECT substr(n.x, 11) WHERE n.x LIKE 'docker.io/%')
		v WHERE instr(i.tags, '"' || v.t || '"') > 0)
		ORDER BY i.id DESC LIMIT 1) AS image_id
	FROM (SELECT container_id, image_digest AS x, 0 AS prio
	      FROM container_meta WHERE image_digest IS NOT NULL
	      UNION
	      SELECT id, image, 1 FROM containers WHERE image IS NOT NULL) n;
-- One time line over every source, clock offsets applied (the sources'
-- views apply them): ts, the source (syscall, process, network, dns, log,
-- audit, k8s, image-file, drift, finding), the relation and key of the
-- row, its container and process when known, and a one-line summary.
-- Filter by ts, source, container_id or process_id; ORDER BY ts.
CREATE VIEW timeline AS
	SELECT ts, 'syscall' AS source, 'events' AS relation,
	       CAST(id AS TEXT) AS key, coalesce(container_id, (SELECT
	       p.container_id FROM processes p WHERE p.id = process_id)) AS
	       container_id, process_id,
	       coalesce(syscall, kind) || coalesce(' ' || path, ' ' || addr ||
	       coalesce(':' || port, ''), '') || coalesce(' = ' || errno, '')
	       AS summary
	FROM events WHERE ts IS NOT NULL
	UNION ALL
	SELECT start_ts, 'process', 'processes', CAST(id AS TEXT),
	       container_id, id, 'start pid ' || pid || ' ' || coalesce(exe,
	       comm, '') FROM processes WHERE start_ts IS NOT NULL
	UNION ALL
	SELECT first_ts, 'network', 'flows', CAST(id AS TEXT), container_id,
	       NULL, proto || ' ' || CASE WHEN instr(src, ':') THEN '[' || src
	       || ']' ELSE src END || coalesce(':' || sport, '') || ' -> ' ||
	       CASE WHEN instr(dst, ':') THEN '[' || dst || ']' ELSE dst END ||
	       coalesce(':' || dport, '') || ', ' || packets ||
	       ' packets, ' || bytes || ' bytes' FROM flows
	UNION ALL
	SELECT ts, 'dns', 'dns', flow_id || ':' || ts, container_id, NULL,
	       CASE WHEN response THEN 'answer ' ELSE 'query ' END || qname ||
	       coalesce(' ' || qtype, '') || coalesce(' ' || rcode, '') ||
	       coalesce(' ' || answers, '') FROM dns
	UNION ALL
	SELECT ts, 'log', 'logs', artifact_id || ':' || seq, container_id,
	       NULL, stream || ': ' || message FROM logs WHERE ts IS NOT NULL
	UNION ALL
	SELECT ts, 'audit', 'audit', artifact_id || ':' || seq, NULL, NULL,
	       type || coalesce(' ' || syscall, '') || coalesce(' ' || exe,
	       '') || coalesce(' ' || key, '') FROM audit WHERE ts IS NOT NULL
	UNION ALL
	SELECT ts, 'k8s', 'k8s_audit', artifact_id || ':' || seq, NULL, NULL,
	       verb || ' ' || coalesce(resource, '') || coalesce('/' ||
	       subresource, '') || coalesce(' ' || namespace || '/' || name,
	       '') || ' by ' || coalesce(user, '?') FROM k8s_audit
	WHERE ts IS NOT NULL
	UNION ALL
	SELECT mtime, 'image-file', 'files', layer_id || ':' || path, NULL,
	       NULL, 'layer ' || layer_id || ' ' || path FROM files
	WHERE mtime IS NOT NULL AND whiteout = 0
	UNION ALL
	SELECT mtime, 'drift', 'drift', key, container_id, NULL,
	       change || ' ' || path FROM drift WHERE mtime IS NOT NULL
	UNION ALL
	SELECT ts, 'finding', 'findings', id, container_id, NULL,
	       severity || ': ' || title FROM findings WHERE ts IS NOT NULL;
-- Resource samples of a recording (LID-DS .res: docker stats every second):
-- CPU percent, memory bytes, network and storage byte counters.
CREATE TABLE resource_all(
	artifact_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	cpu TEXT,
	memory INTEGER,
	net_rx INTEGER,
	net_tx INTEGER,
	disk_read INTEGER,
	disk_written INTEGER,
	container_id TEXT,
	PRIMARY KEY(artifact_id, seq)
) WITHOUT ROWID;
CREATE VIEW resources AS
	SELECT r.ts + a.clock_offset AS ts, CAST(r.cpu AS REAL) AS cpu,
	       r.memory, r.net_rx, r.net_tx, r.disk_read, r.disk_written,
	       r.container_id, r.artifact_id, r.seq
	FROM resource_all r JOIN artifact_all a ON a.id = r.artifact_id
	WHERE a.state = 'complete';

-- migration 19
-- The trigram index merges its segments only when 16 of a level exist
-- (FTS5's crisismerge), not 4 (automerge): each string's entries are
-- rewritten about half as often. On a 305 MiB strace import the ingest
-- took 0.04-0.09 s less (of 1.5-1.9 s); the index is about the same size
-- and substring queries are as fast (ARCHITECTURE.md).
INSERT INTO strings_fts(strings_fts, rank) VALUES('automerge', 0);
