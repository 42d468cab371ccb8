/*
 * revshells.yar: reverse-shell one-liners in image layers (layers
 * analyzer; metadata as in secrets.yar).
 */

rule bash_dev_tcp
{
	meta:
		id = "shell.dev_tcp"
		kind = "shell"
		severity = "high"
		attack = "T1059.004,T1525"
		title = "reverse shell over /dev/tcp"
	strings:
		$a = /\b(ba|z|k)?sh[ \t]+-i[ \t]*(>&|&>|>[ \t]*&)[ \t]*\/dev\/(tcp|udp)\/[^\/\s]{1,100}\/[0-9]{1,5}/
		$b = /exec[ \t]+[0-9]{1,3}<>[ \t]*\/dev\/(tcp|udp)\/[^\/\s]{1,100}\/[0-9]{1,5}/
		$c = /\/dev\/(tcp|udp)\/[^\/\s]{1,100}\/[0-9]{1,5}[ \t]+0>&1/
	condition:
		any of them
}

rule netcat_exec
{
	meta:
		id = "shell.netcat_exec"
		kind = "shell"
		severity = "high"
		attack = "T1059.004,T1525"
		title = "netcat reverse or bind shell"
	strings:
		$e = /\b(nc|ncat|netcat)(\.traditional|\.openbsd)?[ \t][^\n|;&]{0,80}-[A-Za-z]{0,4}[ec][ \t]*['"]?\/bin\/(ba|z|da|k)?sh\b/
		$fifo = /mkfifo[ \t]+[^;\n]{1,60};[ \t]*cat[ \t]+[^|\n]{1,60}\|[ \t]*\/bin\/(ba|z|da)?sh[ \t]+-i[^\n]{0,40}\|[ \t]*(nc|ncat|netcat)\b/
	condition:
		any of them
}

rule python_pty_socket
{
	meta:
		id = "shell.python_pty"
		kind = "shell"
		severity = "high"
		attack = "T1059.004,T1059.006,T1525"
		title = "Python reverse shell (socket and pty.spawn)"
	strings:
		$sock = "socket.socket("
		$pty = /pty\.spawn\([ \t]*['"]\/bin\/(ba|z|da)?sh/
		$dup = "os.dup2("
		$conn = ".connect(("
	condition:
		$sock and $pty and ($dup or $conn)
}

rule perl_socket_shell
{
	meta:
		id = "shell.perl_socket"
		kind = "shell"
		severity = "high"
		attack = "T1059.004,T1525"
		title = "Perl reverse shell"
	strings:
		$a = /use[ \t]+Socket;.{0,300}exec\([ \t]*['"]\/bin\/(ba|z|da)?sh/ 
		$b = /perl[ \t]+-e[ \t]+['"]use[ \t]+Socket;/
	condition:
		any of them
}
