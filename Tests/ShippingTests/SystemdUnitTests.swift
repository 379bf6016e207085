import AtalayaTestSupport
import Foundation
import Testing

/// packaging/systemd/atalaya.service: what the agent needs from systemd, `systemd-analyze
/// verify` clean and `systemd-analyze security` at 1.5 or lower. (The installed unit is
/// checked again by packaging/test-deb.sh.)
@Suite struct SystemdUnitTests {
  /// `Key=value` lines of the [Service] section.
  static func serviceSettings() throws -> [(key: String, value: String)] {
    var inService = false
    var settings: [(String, String)] = []
    for raw in try ShippingFiles.text(ShippingFiles.unit).split(separator: "\n") {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[") { inService = line == "[Service]" }
      guard inService, !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
      settings.append((String(line[..<eq]), String(line[line.index(after: eq)...])))
    }
    return settings
  }

  @Test func declaresWhatTheAgentNeeds() throws {
    let settings = try Self.serviceSettings()
    func value(_ key: String) -> String? { settings.last { $0.key == key }?.value }
    #expect(value("Type") == "notify")
    #expect(value("NotifyAccess") == "main")
    #expect(value("WatchdogSec") == "30s")
    // Issue 15, finding 4: past the soft default of 1024 descriptors.
    #expect(value("LimitNOFILE").flatMap { Int($0) }.map { $0 >= 4096 } == true)
    #expect(value("Restart") == "on-failure")
    #expect(value("ExecReload") == "/bin/kill -HUP $MAINPID")
    #expect(value("ExecStart") == "/usr/bin/atalaya run --config /etc/atalaya/atalaya.yml")
    #expect(value("DynamicUser") == "yes")
    #expect(value("StateDirectory") == "atalaya")
    #expect(value("ConfigurationDirectory") == "atalaya")
    #expect(value("EnvironmentFile") == "-/etc/default/atalaya")
    #expect(
      value("LoadCredential") == "openrouter_api_key:/etc/atalaya/credentials/openrouter_api_key")
    #expect(value("RestrictAddressFamilies") == "AF_UNIX AF_INET AF_INET6")
    // The example config reads the credential the unit loads.
    #expect(
      try ShippingFiles.text(ShippingFiles.exampleConfig).contains(
        "\n    api_key_credential: openrouter_api_key\n"))
  }

  /// The system calls behind the start-up page release (`madvise`, `fadvise64`) pass the
  /// unit's filter: in the allowed set, in none of the denied ones (a denied call would
  /// only fail with EPERM, but then the release would silently do nothing).
  @Test func systemCallFilterAllowsThePageRelease() async throws {
    let settings = try Self.serviceSettings()
    let filters = settings.filter { $0.key == "SystemCallFilter" }.map(\.value)
    let allowed = try #require(filters.first { !$0.hasPrefix("~") })
    let denied = filters.filter { $0.hasPrefix("~") }.flatMap {
      $0.dropFirst().split(separator: " ").map(String.init)
    }
    // `systemd-analyze syscall-filter @set` lists a set's calls and names its nested sets.
    func calls(_ sets: [String]) async throws -> Set<String> {
      var pending = sets
      var seen = Set<String>()
      var result = Set<String>()
      while let set = pending.popLast() {
        guard seen.insert(set).inserted else { continue }
        let listing = try await Subprocess.run("systemd-analyze", ["syscall-filter", set])
        for line in listing.stdout.split(separator: "\n").dropFirst() {
          let entry = line.trimmingCharacters(in: .whitespaces)
          if entry.hasPrefix("@") {
            pending.append(entry)
          } else if !entry.isEmpty && !entry.hasPrefix("#") {
            result.insert(entry)
          }
        }
      }
      return result
    }
    let allowedCalls = try await calls(allowed.split(separator: " ").map(String.init))
    let deniedCalls = try await calls(denied)
    for call in ["madvise", "fadvise64"] {
      #expect(allowedCalls.contains(call), "\(call) not in \(allowed)")
      #expect(!deniedCalls.contains(call), "\(call) denied by \(denied)")
    }
  }

  @Test func securityExposureIsAtMost1_5() async throws {
    let result = try await Subprocess.run(
      "systemd-analyze", ["security", "--offline=true", ShippingFiles.unit])
    let score = try #require(Self.exposure(result.stdout), "no overall exposure: \(result.output)")
    #expect(score <= 1.5, "\(result.stdout)")
  }

  @Test func exposureIsReadInAnyLocale() {
    #expect(Self.exposure("→ Overall exposure level for atalaya.service: 1.1 OK 🙂") == 1.1)
    #expect(Self.exposure("-> Overall exposure level for atalaya.service: 9.2 UNSAFE :-{") == 9.2)
    #expect(Self.exposure("Overall exposure level for atalaya.service: OK :-)") == nil)
    #expect(Self.exposure("Failed to load unit") == nil)
  }

  @Test func verifyIsClean() async throws {
    // verify wants the ExecStart binary and the man page of Documentation= to exist: point
    // a copy of the unit at the built binary and MANPATH at the packaging man page.
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let unit = try ShippingFiles.text(ShippingFiles.unit).replacingOccurrences(
      of: "ExecStart=/usr/bin/atalaya ", with: "ExecStart=\(BuiltProducts.atalaya) ")
    let path = try dir.write("atalaya.service", unit)
    try FileManager.default.createDirectory(
      atPath: dir.path + "/man/man1", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: ShippingFiles.manPage, toPath: dir.path + "/man/man1/atalaya.1")

    let analyze = try #require(Subprocess.which("systemd-analyze"))
    let child = try ChildProcess(
      executable: analyze, arguments: ["verify", path],
      environment: ["PATH": "/usr/bin:/bin", "MANPATH": dir.path + "/man"], directory: dir.path)
    defer { child.terminate() }
    let status = try #require(await child.wait(timeout: .seconds(30)))
    #expect(status == 0, "\(child.stdout)\(child.stderr)")
    #expect(child.stdout.isEmpty && child.stderr.isEmpty, "\(child.stdout)\(child.stderr)")
  }

  @Test func verifyCatchesAMistake() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let unit = try ShippingFiles.text(ShippingFiles.unit)
      .replacingOccurrences(
        of: "ExecStart=/usr/bin/atalaya ", with: "ExecStart=\(BuiltProducts.atalaya) "
      )
      .replacingOccurrences(of: "Type=notify", with: "Type=notifyy")
    let path = try dir.write("atalaya.service", unit)
    let result = try await Subprocess.run("systemd-analyze", ["verify", "--man=no", path])
    #expect(result.output.contains("notifyy"), "\(result.output)")
  }

  /// The number in "→ Overall exposure level for atalaya.service: 1.1 OK 🙂" (or "OK :-)" when
  /// the locale is not UTF-8, as under `env -i`): the first word after the unit name's colon.
  static func exposure(_ report: String) -> Double? {
    let marker = "atalaya.service: "
    for line in report.split(separator: "\n") where line.contains("Overall exposure level for") {
      guard let name = line.range(of: marker) else { return nil }
      return line[name.upperBound...].split(separator: " ").first.flatMap { Double($0) }
    }
    return nil
  }
}
