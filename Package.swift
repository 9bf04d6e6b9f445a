// swift-tools-version:5.9
import PackageDescription

// Layers, one folder each, data flowing one way:
// CLibSSH2 -> SSH -> Engine <- Collect/Probe/Config, Model <- Compare <- Report, postpatch on top;
// Net (name resolution) under SSH and Probe.
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
        .target(name: "Probe", dependencies: ["Model", "Net"]),
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
        .testTarget(name: "CompareTests", dependencies: ["Compare", "Model"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Model"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Model", "LabKit"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Model"]),
        .testTarget(name: "LabTests", dependencies: ["Engine", "SSH", "Model", "LabKit", "Collect", "Compare"]),
    ]
)
