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
//   postpatch -> Engine, SSH, Model, Config, Report, Compare, ArgumentParser
//                (its `script` command and capture options also import Collect, reached through Engine)
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
            "Engine", "SSH", "Model", "Config", "Report", "Compare",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test support: starts real servers (sshd, dropbear, ssh-agent, databases) on loopback.
        .target(name: "LabKit", dependencies: ["SSH"], path: "Tests/LabKit"),
        .testTarget(name: "SSHTests", dependencies: ["SSH", "LabKit"]),
        .testTarget(name: "CollectTests", dependencies: ["Collect", "Model", "LabKit"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "Model", "LabKit"]),
        .testTarget(name: "CompareTests", dependencies: ["Compare", "Model", "LabKit"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Model", "LabKit"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Model", "LabKit"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Model"]),
        .testTarget(name: "LabTests", dependencies: ["Engine", "SSH", "Model", "LabKit", "Collect", "Compare"]),
    ]
)
