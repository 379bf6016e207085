// swift-tools-version:6.1
// Micro-benchmarks (ordo-one/package-benchmark) and the scheduler accuracy probe.
// A separate package so the root's `make test` never builds the benchmark
// dependencies. Run through `make bench` (bench/run.sh), or directly:
//   cd Benchmarks && swift package --disable-sandbox benchmark
import PackageDescription

// A path dependency's identity is its directory name (`atalaya` in a plain clone, the
// worktree's name elsewhere), so derive it instead of hard-coding it.
let root =
  Context.packageDirectory.split(separator: "/").dropLast().last.map {
    String($0).lowercased()
  } ?? "atalaya"

let package = Package(
  name: "AtalayaBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
  ],
  targets: [
    // /metrics rendering: Atalaya's writer and renderer beside swift-prometheus.
    .executableTarget(
      name: "Scrape",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "AtalayaKit", package: root),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ],
      path: "Benchmarks/Scrape",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // The uptime history's memory per check with 30 days of probes.
    .executableTarget(
      name: "HistoryMemory",
      dependencies: [.product(name: "AtalayaKit", package: root)]
    ),
    // The real ProbeScheduler on ContinuousClock: lateness percentiles and overlap.
    .executableTarget(
      name: "ScheduleAccuracy",
      dependencies: [.product(name: "AtalayaKit", package: root)]
    ),
  ]
)
