/*
 * secrets.yar: credentials left in image layers (layers analyzer,
 * analyzers/an-layers.c; see analyzers/rules/layers/README.md).
 *
 * Every rule carries the metadata the analyzer turns into a finding:
 *   id        the finding's rule id after "layers." (e.g. secret.aws_key_pair)
 *   kind      secret | miner | webshell | shell | config | other
 *   severity  info | low | medium | high | critical
 *   attack    ATT&CK technique ids, comma separated
 *   title     what was found, in a few words
 * The externals `filename` (the file's base name) and `extension` (after
 * its last dot, "" when none) let a rule look at names.
 */
import "math"

rule private_key
{
	meta:
		id = "secret.private_key"
		kind = "secret"
		severity = "high"
		attack = "T1552.004"
		title = "private key"
	strings:
		// A PEM or PGP armour header followed by key material, so code
		// that only names the header does not match.
		$pem = /-----BEGIN ([A-Z0-9]{2,10} ){0,2}PRIVATE KEY( BLOCK)?-----\r?\n([A-Za-z-]{2,20}: [^\r\n]{0,200}\r?\n){0,4}\r?\n?[A-Za-z0-9+\/=]{48}/
		$putty = /PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\r?\nEncryption: /
	condition:
		any of them
}

rule aws_key_pair
{
	meta:
		id = "secret.aws_key_pair"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "AWS access key with its secret key"
	strings:
		$id = /\b(AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/
		$example = /(AKIA|ASIA|AIDA|AROA)[0-9A-Z]{9}EXAMPLE/
		$secret = /aws.{0,20}secret.{0,20}['"]?[ \t]*[:=][ \t]*['"]?[A-Za-z0-9\/+]{40}([^A-Za-z0-9\/+=]|$)/ nocase
	condition:
		for any i in (1..#id) : (
			not $example at @id[i] and
			$secret in (@id[i] - 2048 .. @id[i] + 2048)
		)
}

rule aws_access_key_id
{
	meta:
		id = "secret.aws_access_key"
		kind = "secret"
		severity = "medium"
		attack = "T1552.001"
		title = "AWS access key id"
	strings:
		$id = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/
		$example = /(AKIA|ASIA)[0-9A-Z]{9}EXAMPLE/
	condition:
		not aws_key_pair and
		for any i in (1..#id) : ( not $example at @id[i] )
}

rule github_token
{
	meta:
		id = "secret.github_token"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "GitHub token"
	strings:
		$classic = /\bgh[pousr]_[A-Za-z0-9]{36}\b/
		$fine = /\bgithub_pat_[A-Za-z0-9_]{82}\b/
	condition:
		any of them
}

rule gitlab_token
{
	meta:
		id = "secret.gitlab_token"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "GitLab token"
	strings:
		$pat = /\bglpat-[A-Za-z0-9_\-]{20}\b/
		$runner = /\bglrt-[A-Za-z0-9_\-]{20}\b/
		$deploy = /\bgldt-[A-Za-z0-9_\-]{20}\b/
	condition:
		any of them
}

rule slack_token
{
	meta:
		id = "secret.slack_token"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "Slack token or webhook"
	strings:
		$token = /\bxox[abposr]-[0-9]{6,16}-[0-9A-Za-z\-]{10,80}/
		$hook = /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,30}/
	condition:
		any of them
}

/* A .env file assigning a random-looking value to a secret-named key. */
rule dotenv_high_entropy
{
	meta:
		id = "secret.dotenv_key"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "high-entropy secret"
	strings:
		$kv = /[A-Za-z0-9_]{0,40}(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|ACCESS_KEY|PRIVATE_KEY|AUTH_KEY|CLIENT_SECRET)[A-Za-z0-9_]{0,40}[ \t]*=[ \t]*['"]?[A-Za-z0-9_\-+\/=.~]{20,200}/ nocase
	condition:
		(filename == ".env" or filename matches /^\.env\.[A-Za-z0-9_.-]+$/ or extension == "env") and
		for any i in (1..#kv) : ( math.entropy(@kv[i], !kv[i]) >= 4.2 )
}

/* A .env file giving any secret-named key a value. */
rule dotenv_secret
{
	meta:
		id = "secret.dotenv"
		kind = "secret"
		severity = "medium"
		attack = "T1552.001"
		title = "secret-named setting"
	strings:
		$kv = /(^|\n)[ \t]*(export[ \t]+)?[A-Za-z0-9_]{0,40}(PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY|PRIVATE_KEY)[A-Za-z0-9_]{0,40}[ \t]*=[ \t]*['"]?[^\s'"$#]/ nocase
	condition:
		not dotenv_high_entropy and
		(filename == ".env" or filename matches /^\.env\.[A-Za-z0-9_.-]+$/ or extension == "env") and
		$kv
}

rule git_credentials
{
	meta:
		id = "secret.git_credentials"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "Git credential store"
	strings:
		$url = /[a-z][a-z0-9+.-]{1,10}:\/\/[^:\s\/@]{1,100}:[^@\s]{1,200}@/
	condition:
		filename == ".git-credentials" and $url
}

rule npm_token
{
	meta:
		id = "secret.npm_token"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "npm registry token"
	strings:
		$tok = /_(authToken|auth|password)[ \t]*=[ \t]*['"]?[^\s'"$]/
	condition:
		filename == ".npmrc" and $tok
}

rule pypi_password
{
	meta:
		id = "secret.pypi_password"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "PyPI password"
	strings:
		$pw = /(^|\n)[ \t]*password[ \t]*[:=][ \t]*[^\s$]/
	condition:
		filename == ".pypirc" and $pw
}

rule docker_auth
{
	meta:
		id = "secret.docker_auth"
		kind = "secret"
		severity = "high"
		attack = "T1552.001"
		title = "Docker registry credentials"
	strings:
		$auths = "\"auths\""
		$auth = /"(auth|identitytoken)"[ \t\r\n]*:[ \t\r\n]*"[A-Za-z0-9+\/=_.-]{8,}"/
	condition:
		filename == "config.json" and $auths and $auth
}

/* /etc/shadow with a crypt(3) hash (MD5, bcrypt, SHA-256/512, yescrypt,
 * scrypt, SHA-1; a locking "!" prefix included): every container of the
 * image shares the password. Old 13-character DES hashes are not matched. */
rule shadow_password_hash
{
	meta:
		id = "secret.shadow_hash"
		kind = "secret"
		severity = "medium"
		attack = "T1552.001"
		title = "password hash in /etc/shadow"
	strings:
		$md5 = ":$1$"
		$bf1 = ":$2a$"
		$bf2 = ":$2b$"
		$bf3 = ":$2y$"
		$sha256 = ":$5$"
		$sha512 = ":$6$"
		$scrypt = ":$7$"
		$yes = ":$y$"
		$gy = ":$gy$"
		$sha1 = ":$sha1$"
		$sunmd5 = ":$md5"
		$locked1 = ":!$"
		$locked2 = ":!!$"
	condition:
		(filename == "shadow" or filename == "shadow-") and any of them
}

/* dockle DKL-LI-0001: an account with an empty password field. */
rule shadow_empty_password
{
	meta:
		id = "config.empty_password"
		kind = "config"
		severity = "medium"
		attack = "T1078.003"
		title = "account with an empty password"
	strings:
		$empty = /(^|\n)[a-z_][a-z0-9_.-]{0,31}\$?::/
	condition:
		(filename == "shadow" or filename == "shadow-") and $empty
}
