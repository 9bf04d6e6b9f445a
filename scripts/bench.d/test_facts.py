"""pytest-testinfra peer of scripts/bench: per host, the facts PostPatch captures. Run by
scripts/bench with --hosts=ssh://pplab@ADDR:PORT,... and -n WORKERS (pytest-xdist).
The TCP target and DNS name come from the environment (BENCH_TCP_HOST/PORT, BENCH_DNS_NAME)."""
import os


def test_services(host):
    # The whole list, as PostPatch records it (systemd when present, else SysV init scripts).
    cmd = host.run("systemctl list-units --type=service --all --no-legend --plain 2>/dev/null"
                   " || ls /etc/init.d")
    assert cmd.rc == 0 and cmd.stdout.strip()


def test_listening_sockets(host):
    assert host.socket.get_listening_sockets()


def test_packages(host):
    assert host.package("openssh-server").is_installed
    cmd = host.run("dpkg-query -W -f '${Package} ${Version} ${Architecture}\\n'")
    assert cmd.rc == 0 and len(cmd.stdout.splitlines()) > 10


def test_dns_name(host):
    assert host.addr(os.environ.get("BENCH_DNS_NAME", "localhost")).is_resolvable


def test_tcp_target(host):
    addr = host.addr(os.environ["BENCH_TCP_HOST"])
    assert addr.port(int(os.environ["BENCH_TCP_PORT"])).is_reachable
