// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
  name: "atalaya",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "atalaya", targets: ["atalaya"]),
    // For the separate Fuzz/ package: every parser of outside input, without the server.
    .library(
      name: "AtalayaParsers",
      targets: ["AtalayaCore", "HTTPClient", "Storage", "Probing", "Alerting"]),
    // For the separate Benchmarks/ package (micro-benchmarks); not used by the agent.
    .library(
      name: "AtalayaKit",
      targets: [
        "AtalayaCore", "HTTPClient", "Storage", "Probing", "Exposition", "Systemd", "AtalayaAgent",
      ]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    // C interop
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
      name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

    // Pure domain, no I/O: config model and validation, durations, result classes,
    // windows, breaker, status, cost, alert rules.
    .target(
      name: "AtalayaCore",
      dependencies: ["CYAML"],
      swiftSettings: strict
    ),
    // The HTTP client: the libcurl multi loop, requests, responses, errors. Used by
    // probing, alert delivery and account polling alike.
    .target(
      name: "HTTPClient",
      dependencies: ["AtalayaCore", "CCurl"],
      swiftSettings: strict
    ),
    // File access: the config and key files, state files (one format, one code path),
    // all of it off the cooperative pool.
    .target(
      name: "Storage",
      dependencies: ["AtalayaCore", .product(name: "Logging", package: "swift-log")],
      swiftSettings: strict
    ),
    // Provider dialects, response classification, the probe scheduler.
    .target(
      name: "Probing",
      dependencies: [
        "AtalayaCore", "HTTPClient",
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // Metric catalogue and Prometheus text rendering.
    .target(name: "Exposition", dependencies: ["AtalayaCore"], swiftSettings: strict),
    // sd_notify, watchdog.
    .target(
      name: "Systemd",
      dependencies: [
        "CSystemd",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict
    ),
    // Simulated OpenAI-compatible providers for `atalaya demo` and the tests.
    .target(
      name: "Simulator",
      dependencies: [
        "AtalayaCore",
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      swiftSettings: strict
    ),
    // The running agent: stores, one Service per long-running concern, presenters,
    // and the composition root that runs them in one ServiceGroup.
    .target(
      name: "AtalayaAgent",
      dependencies: [
        "AtalayaCore", "Alerting", "HTTPClient", "Storage", "Probing", "Exposition", "Systemd",
        "Server",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict
    ),
    // HTTP routes: /metrics, /api/v1/status, /-/healthy, /-/ready, /-/reload.
    .target(
      name: "Server",
      dependencies: [
        "AtalayaCore", "Exposition",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // Alert delivery: receiver payloads, the durable outbox, the delivery loop.
    .target(
      name: "Alerting",
      dependencies: [
        "AtalayaCore", "HTTPClient", "Storage",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // `atalaya demo`: the agent against the simulated providers.
    .target(
      name: "AtalayaDemo",
      dependencies: [
        "AtalayaAgent", "AtalayaCore", "Simulator", "Systemd",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict
    ),
    // Argument parsing only.
    .executableTarget(
      name: "atalaya",
      dependencies: [
        "AtalayaCore", "AtalayaAgent", "AtalayaDemo", "Storage",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // Helpers shared by the test targets.
    .target(
      name: "AtalayaTestSupport", dependencies: ["AtalayaCore", "HTTPClient"],
      path: "Tests/AtalayaTestSupport",
      swiftSettings: strict),
    // Drives a Hummingbird router in-process (no socket, no server).
    .target(
      name: "ServerTestKit",
      dependencies: [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/ServerTestKit",
      swiftSettings: strict),

    .testTarget(
      name: "AtalayaCoreTests", dependencies: ["AtalayaCore", "Storage", "AtalayaTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "HTTPClientTests", dependencies: ["HTTPClient", "AtalayaTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "StorageTests", dependencies: ["Storage", "AtalayaTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "ProbingTests", dependencies: ["Probing", "HTTPClient", "AtalayaTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "ExpositionTests", dependencies: ["Exposition", "AtalayaTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "SystemdTests", dependencies: ["Systemd", "AtalayaTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "AlertingTests",
      dependencies: ["Alerting", "HTTPClient", "Storage", "Exposition", "AtalayaTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "AtalayaAgentTests",
      dependencies: [
        "AtalayaAgent", "Simulator", "Probing", "HTTPClient", "Storage", "Alerting", "Exposition",
        "AtalayaTestSupport",
        "ServerTestKit",
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict
    ),
    // packaging/, alerts/ and dashboards/ against systemd-analyze, promtool and a real Prometheus.
    .testTarget(
      name: "ShippingTests",
      dependencies: [
        "AtalayaCore", "Exposition", "AtalayaTestSupport",
      ],
      swiftSettings: strict
    ),
  ]
)
