/*
 * miners.yar: cryptocurrency miners and their configuration in image
 * layers (layers analyzer; metadata as in secrets.yar).
 */

rule xmrig_miner
{
	meta:
		id = "miner.xmrig"
		kind = "miner"
		severity = "high"
		attack = "T1496,T1525"
		title = "XMRig-family cryptocurrency miner"
	strings:
		$name1 = "xmrig" nocase
		$name2 = "XMRig/" 
		$algo1 = "cryptonight" nocase
		$algo2 = "randomx" nocase
		$algo3 = "argon2/chukwa" nocase
		$opt1 = "--donate-level"
		$opt2 = "donate.v2.xmrig.com"
		$opt3 = "nicehash" nocase
		$opt4 = "--cpu-max-threads-hint"
	condition:
		any of ($name*) and (any of ($algo*)) and (any of ($opt*))
}

rule miner_config
{
	meta:
		id = "miner.config"
		kind = "miner"
		severity = "high"
		attack = "T1496,T1525"
		title = "cryptocurrency miner configuration"
	strings:
		$donate = /"donate-level"[ \t]*:/
		$pools = /"pools"[ \t]*:[ \t\r\n]*\[/
		$algo = /"(algo|coin)"[ \t]*:/
		$stratum = /stratum\+(tcp|ssl|tls):\/\//
		$wallet = /"user"[ \t]*:[ \t]*"[0-9A-Za-z]{90,110}/
	condition:
		$donate and ($pools or $algo or $stratum) or
		$pools and $stratum and ($algo or $wallet)
}

rule mining_pool_url
{
	meta:
		id = "miner.pool_url"
		kind = "miner"
		severity = "high"
		attack = "T1496,T1525"
		title = "mining pool address"
	strings:
		$stratum = /stratum2?\+(tcp|ssl|tls):\/\/[A-Za-z0-9.-]{3,100}(:[0-9]{2,5})?/
	condition:
		$stratum and not miner_config and not xmrig_miner
}
