/*
 * runtime-sockets.yar: the paths of container runtime API sockets in a
 * script or in process memory. Whoever talks to one starts a privileged
 * container with the host's / mounted (T1610, T1611); malware that
 * hunts for exposed runtimes (TeamTNT, Kinsing, Doki) carries them. The
 * docker CLI and SDKs carry them too: the rule is medium, and it is a
 * file in a layer or a process's memory that a person should look at.
 */
rule runtime_socket_path
{
	meta:
		id = "runtime.socket_path"
		kind = "other"
		severity = "medium"
		attack = "T1610,T1611"
		title = "Container runtime socket path"
	strings:
		$docker = "/var/run/docker.sock"
		$docker2 = "/run/docker.sock"
		$containerd = "/run/containerd/containerd.sock"
		$crio = "/var/run/crio/crio.sock"
		$podman = "/run/podman/podman.sock"
	condition:
		any of them
}
