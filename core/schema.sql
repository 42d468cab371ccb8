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
