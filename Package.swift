// swift-tools-version:5.9
import PackageDescription

// Layers, one folder each. Who imports whom, exactly as the targets below declare it
// (A -> B: A imports B; nothing imports a layer listed after it):
//   Model     -> nothing            the values every layer shares (snapshots, findings, finding kinds)
//   Net       -> nothing            name resolution (the one getaddrinfo wrapper), connect(2) addresses
//   SSH       -> CLibSSH2, Net, Model (Model for Duration <-> seconds only)
//   Probe     -> Model, Net, CTLS   (CTLS: OpenSSL's libssl over memory BIOs, docs/tls.md)
//   Collect, Compare, Report -> Model
//   Config    -> Model, Yams
//   Engine    -> SSH, Model, Collect, Probe, Compare, Report, Config
//                (it runs Compare for verify and rollout, and writes the report files: ReportFiles.swift)
//   postpatch -> Engine, SSH, Model, Collect, Config, Report, Compare, ArgumentParser
//                (Collect for the `script` command and the capture options)
// Tests:
//   TestSupport -> nothing          the skip rule, the one process runner, waiting, ports, fuzz corpus
//   LabKit      -> TestSupport      real servers on loopback (sshd, dropbear, databases, dnsmasq,
//                                   TLS and HTTP servers, systemd hosts, network namespaces)
//   <X>Tests    -> X and what they import; only SSHTests, ProbeTests (TLS over an SSH channel)
//                  and LabTests link libssh2
let package = Package(
    name: "PostPatch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "postpatch", targets: ["postpatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"), // 1.8: @Option(defaultAsFlag:) for --reboot [when]
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2",
                       providers: [.apt(["libssh2-1-dev"])]),
        .target(name: "Net"),  // getaddrinfo and connect(2) addresses, for SSH and Probe alike
        .target(name: "SSH", dependencies: ["CLibSSH2", "Model", "Net"]),  // Model: Duration <-> seconds only
        .target(name: "Model"),
        .target(name: "Collect", dependencies: ["Model"]),
        .target(name: "CTLS", linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]),  // libssl-dev
        .target(name: "Probe", dependencies: ["Model", "Net", "CTLS"]),
        .target(name: "Compare", dependencies: ["Model"]),
        .target(name: "Report", dependencies: ["Model"]),
        .target(name: "Config", dependencies: ["Model", "Yams"]),
        .target(name: "Engine", dependencies: ["SSH", "Model", "Collect", "Probe", "Compare", "Report", "Config"]),
        .executableTarget(name: "postpatch", dependencies: [
            "Engine", "SSH", "Model", "Collect", "Config", "Report", "Compare",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test support: TestSupport starts nothing; LabKit starts real servers on loopback.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .target(name: "LabKit", dependencies: ["TestSupport"], path: "Tests/LabKit"),
        .testTarget(name: "SSHTests", dependencies: ["SSH", "TestSupport", "LabKit"]),
        .testTarget(name: "CollectTests", dependencies: ["Collect", "Model", "TestSupport", "LabKit"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "Model", "SSH", "TestSupport", "LabKit"]),
        .testTarget(name: "CompareTests", dependencies: ["Compare", "Model", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Model", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Model", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Model", "Config", "Compare", "Report"]),
        .testTarget(name: "LabTests", dependencies: ["Engine", "SSH", "Model", "Collect", "Compare", "Report", "TestSupport", "LabKit"]),
    ]
)
