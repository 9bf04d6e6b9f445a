"""parallel-ssh peer of scripts/bench: runs the PostPatch collector script on every host with
pssh.clients.ParallelSSHClient (libssh2 underneath, like PostPatch) and writes one output file
per host. The script goes as the exec command itself: sshd hands it to the login shell as
`sh -c SCRIPT`, the same script `ssh host sh -s < script` runs.

usage: pssh_run.py ADDRS_FILE PORT USER KEY SCRIPT OUTDIR POOL
Prints "ok K of N" on the last line.
"""
import os
import sys

from pssh.clients import ParallelSSHClient


def main():
    addrs_file, port, user, key, script, outdir, pool = sys.argv[1:8]
    hosts = [line.strip() for line in open(addrs_file) if line.strip()]
    command = open(script).read()
    client = ParallelSSHClient(hosts, user=user, pkey=key, port=int(port),
                               pool_size=int(pool), num_retries=1, timeout=120)
    output = client.run_command(command, stop_on_errors=False)
    client.join(output)
    ok = 0
    for host_out in output:
        if host_out.exception is not None:
            print(f"{host_out.host}: {host_out.exception!r}", file=sys.stderr)
            continue
        with open(os.path.join(outdir, host_out.host), "w") as f:
            for line in host_out.stdout:
                f.write(line + "\n")
        client_exit = host_out.exit_code
        if client_exit == 0:
            ok += 1
        else:
            print(f"{host_out.host}: exit {client_exit}", file=sys.stderr)
    print(f"ok {ok} of {len(hosts)}")


if __name__ == "__main__":
    main()
