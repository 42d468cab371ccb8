/*
 * webshells.yar: PHP and JSP web shells in image layers (layers analyzer;
 * metadata as in secrets.yar).
 */

rule php_eval_encoded
{
	meta:
		id = "webshell.php_eval"
		kind = "webshell"
		severity = "high"
		attack = "T1505.003,T1525"
		title = "PHP evaluating decoded code"
	strings:
		$php = "<?" 
		$e1 = /\b(eval|assert)[ \t]*\([ \t]*(@?(gzinflate|gzuncompress|gzdecode|str_rot13|strrev)[ \t]*\([ \t]*)*@?base64_decode[ \t]*\(/ nocase
		$e2 = /\bpreg_replace[ \t]*\([ \t]*['"].{1,20}\/e['"]/ nocase
	condition:
		$php and any of ($e*)
}

rule php_exec_request
{
	meta:
		id = "webshell.php_exec"
		kind = "webshell"
		severity = "high"
		attack = "T1505.003,T1525"
		title = "PHP running request input"
	strings:
		$php = "<?" 
		$x = /\b(system|exec|shell_exec|passthru|popen|proc_open|eval|assert|pcntl_exec)[ \t]*\([ \t]*(stripslashes[ \t]*\([ \t]*)?\$_(GET|POST|REQUEST|COOKIE|SERVER)[ \t]*\[/ nocase
		$bt = /`[ \t]*\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[/
	condition:
		$php and ($x or $bt)
}

rule jsp_exec_request
{
	meta:
		id = "webshell.jsp_exec"
		kind = "webshell"
		severity = "high"
		attack = "T1505.003,T1525"
		title = "JSP running request input"
	strings:
		$x = /Runtime\.getRuntime\(\)\.exec\([ \t]*request\.getParameter\(/
		$pb = /new[ \t]+ProcessBuilder\([^)]{0,40}request\.getParameter\(/
	condition:
		any of them
}
