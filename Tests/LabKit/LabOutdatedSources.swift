/// The texts LabOutdatedKit compiles and packages: C sources, the systemd unit, and the
/// daemon package's maintainer scripts (what deb-systemd-helper and deb-systemd-invoke would
/// do, written out, since the minbase lab rootfs has no debhelper scripts to call).
enum LabOutdatedSources {
    /// One exported function whose text names the library version, so a test can tell which
    /// build a process runs.
    static func library(version: String) -> String {
        """
        const char *pp_greet(void) { return "hello from libppgreet \(version)"; }

        """
    }

    /// Greets once (to the journal), then sleeps forever; `--once` greets and exits.
    static let daemon = """
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>

        const char *pp_greet(void);

        int main(int argc, char **argv) {
            printf("pp-greetd: %s\\n", pp_greet());
            fflush(stdout);
            if (argc > 1 && strcmp(argv[1], "--once") == 0) return 0;
            for (;;) sleep(3600);
        }

        """

    static let unitFile = """
        [Unit]
        Description=PostPatch lab daemon linked to libppgreet.so.1

        [Service]
        Type=simple
        ExecStart=\(LabOutdatedKit.daemonPath)

        [Install]
        WantedBy=multi-user.target

        """

    /// Enable and start on configure, stop and disable on remove; nothing when systemd is not
    /// PID 1 (a chroot), where `systemctl enable` alone would still leave the link.
    static let daemonScripts: [String: String] = [
        "postinst": """
            #!/bin/sh
            set -e
            if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
                systemctl daemon-reload
                systemctl enable \(LabOutdatedKit.unit)
                systemctl restart \(LabOutdatedKit.unit)
            fi

            """,
        "prerm": """
            #!/bin/sh
            set -e
            if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
                systemctl disable --now \(LabOutdatedKit.unit) || true
            fi

            """,
        "postrm": """
            #!/bin/sh
            set -e
            if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi

            """,
    ]
}
