import Model

/// Containers of the host's engine: podman when it is in use, else docker when its daemon is
/// reachable. Two commands at most: `ps -a` in JSON form, then one `container inspect` for every
/// container it listed (restart policy, restart count, start time; docker's image id).
///
/// Reading leaves nothing behind: podman is not run for a user with no container storage (a
/// first `podman ps` would create it, and rootless podman would leave a pause process running),
/// and docker is not run without a daemon socket (this machine has the CLI alone). Both cases,
/// and a host with neither, skip the section with the reason: unknown, not "no containers".
enum ContainersSection {
    // The steps of the section (`containers.<tool>` in the script and its output).
    static let dockerStep = Step(.containers, "docker")
    static let dockerInspectStep = Step(.containers, "docker-inspect")
    static let podmanStep = Step(.containers, "podman")
    static let podmanInspectStep = Step(.containers, "podman-inspect")

    /// Fields joined by "|" (no container id, name, image id or policy holds one). podman 4's
    /// inspect rejects a template that starts like JSON, so no `{"Id":...}` here.
    static let inspectFormat = "{{.Id}}|{{.Name}}|{{.Image}}|{{.HostConfig.RestartPolicy.Name}}|{{.RestartCount}}|{{.State.StartedAt}}"
    /// At most this many ids go to the one inspect call.
    static let inspectLimit = 1000

    static let fragment: String = """
    PP_CONTAINER_ENGINE=; PP_CONTAINER_SKIP=
    if pp_has podman; then
        if [ -n "$CONTAINERS_STORAGE_CONF" ] || [ -d "${XDG_DATA_HOME:-$HOME/.local/share}/containers/storage" ] \\
            || { [ "$PP_UID" = 0 ] && { [ -d /var/lib/containers/storage ] || [ -f /etc/containers/storage.conf ]; }; }; then PP_CONTAINER_ENGINE=podman
        else PP_CONTAINER_SKIP="podman has no container storage for uid $PP_UID (never used: reading it would create it)"; fi
    fi
    if [ -z "$PP_CONTAINER_ENGINE" ] && pp_has docker; then
        if [ -n "$DOCKER_HOST" ] || { [ -S /var/run/docker.sock ] && [ -w /var/run/docker.sock ]; }; then PP_CONTAINER_ENGINE=docker
        elif [ -S /var/run/docker.sock ]; then PP_CONTAINER_SKIP="${PP_CONTAINER_SKIP:+$PP_CONTAINER_SKIP; }docker's socket /var/run/docker.sock is not writable by uid $PP_UID (run with --sudo, or add the user to the docker group)"
        else PP_CONTAINER_SKIP="${PP_CONTAINER_SKIP:+$PP_CONTAINER_SKIP; }docker is installed but has no daemon socket (/var/run/docker.sock)"; fi
    fi
    if [ "$PP_CONTAINER_ENGINE" = podman ]; then

    """
    + ScriptFraming.step(podmanStep, psBody("podman ps -a --format json"))
    + ScriptFraming.step(podmanInspectStep, inspectBody(engine: "podman", idPattern: #"s/^ *"Id": "\([0-9a-f]*\)",*$/\1/p"#))
    + "elif [ \"$PP_CONTAINER_ENGINE\" = docker ]; then\n"
    + ScriptFraming.step(dockerStep, psBody("docker ps -a --no-trunc --format '{{json .}}'"))
    + ScriptFraming.step(dockerInspectStep, inspectBody(engine: "docker", idPattern: #"s/.*"ID":"\([0-9a-f]*\)".*/\1/p"#))
    + "elif [ -n \"$PP_CONTAINER_SKIP\" ]; then " + ScriptFraming.skip(.containers, shellWord: "\"$PP_CONTAINER_SKIP\"")
    + "else " + ScriptFraming.skip(.containers, "no docker or podman on the host")
    + "fi\n"

    /// The listing, also kept in the temp dir for the inspect step's ids.
    static func psBody(_ command: String) -> String {
        """
        if [ -z "$PP_TMP" ]; then pp_to \(command); exit $?; fi
        pp_to \(command) >"$PP_TMP/container-list"; pp_list_rc=$?
        cat "$PP_TMP/container-list"; exit $pp_list_rc
        """
    }

    static func inspectBody(engine: String, idPattern: String) -> String {
        """
        [ -n "$PP_TMP" ] && [ -s "$PP_TMP/container-list" ] || exit 0
        # shellcheck disable=SC2046 # split on purpose: one word per container id (hex digits only)
        set -- $(sed -n '\(idPattern)' "$PP_TMP/container-list" | head -n \(inspectLimit))
        [ $# -gt 0 ] || exit 0
        pp_to \(engine) container inspect --format '\(inspectFormat)' "$@"
        """
    }

    /// The containers, the notes, and the gap when the listing failed outright: an engine that
    /// answers with an error (daemon down, storage locked) knows nothing, so the section is
    /// unknown, not empty. (Timeouts and kills are CaptureGaps' already.)
    static func parse(_ output: ScriptOutput) -> (items: [Container], notes: [String], gap: CaptureGap?) {
        for engine in ["podman", "docker"] {
            guard let ps = output[step: Step(.containers, engine)] else { continue }
            if let status = ps.status, status != 0, CaptureGaps.failure(ps, timeout: 0) == nil {
                let why = ps.stderrHeadline.map { ": \($0.prefix(200))" } ?? ""
                return ([], [], CaptureGap(step: "containers.\(engine)", problem: "\(engine) ps exited \(status)\(why)",
                                           fix: engine == "docker" ? "check that dockerd runs (systemctl status docker)" : "check podman on the host (podman ps -a)"))
            }
            let inspect = output[step: Step(.containers, engine + "-inspect")]
            var notes: [String] = []
            if let inspect, let problem = inspect.problem("containers", "\(engine) container inspect") {
                notes.append(problem + " (restart policies unknown)")
            }
            let parsed = ContainersParser.parse(engine: engine, ps: ps.stdout,
                                                inspect: inspect?.status == 0 ? inspect?.stdout : nil)
            return (parsed.items, notes + parsed.notes, nil)
        }
        return ([], [], nil)
    }
}

extension ContainersSection {
    /// No engine, or none in use, is a SKIP marker with the reason.
    static let collector = SectionCollector(
        fragment: { _ in fragment },
        capture: CaptureRule(steps: [podmanStep, dockerStep], tools: "podman or docker", alwaysSaid: true),
        parse: { output, _, snapshot in
            let parsed = parse(output)
            snapshot.containers = parsed.items
            return .init(notes: parsed.notes, gap: parsed.gap)
        }, fuzzTargets: ["Containers"])
}
