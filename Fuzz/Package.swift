// swift-tools-version:6.1
// libFuzzer targets for every parser of outside input. A separate package: it is built
// with `-sanitize=fuzzer,address`, which the root's `make test` never uses. Run through
// `make fuzz` (Fuzz/run.sh).
import PackageDescription

// A path dependency's identity is its directory name (`atalaya` in a plain clone, the
// worktree's name elsewhere), so derive it instead of hard-coding it.
let root =
  Context.packageDirectory.split(separator: "/").dropLast().last.map {
    String($0).lowercased()
  } ?? "atalaya"

let package = Package(
  name: "AtalayaFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(path: "..")],
  targets: [
    // libFuzzer's driver entry point, called from main.
    .target(name: "CFuzzerDriver"),
    .executableTarget(
      name: "AtalayaFuzz",
      dependencies: ["CFuzzerDriver", .product(name: "AtalayaParsers", package: root)]
    ),
  ]
)
