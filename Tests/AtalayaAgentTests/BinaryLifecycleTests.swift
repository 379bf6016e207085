import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real `atalaya` binary under a real notify socket: readiness, watchdog,
/// reload (good and bad), and stop.
@Suite("atalaya run (real binary)", .serialized)
struct BinaryLifecycleTests {
  @Test func readyWatchdogReloadAndStop() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try await withSimulator([SimulatedProvider(name: "good", apiKey: testAPIKey)]) { _, simPort in
      let port = FreePort.find()
      var config = TestConfig(listenPort: port, simulatorPort: simPort, providers: ["good"])
      let path = try dir.write("atalaya.yml", config.yaml)
      let notify = try NotifySocket()
      let child = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(["NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": "400000"]),
        directory: dir.path)
      defer { child.terminate() }

      // READY=1 comes once, with a STATUS line, and only when /-/ready is true.
      let startup = await notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(20))
      let ready = try #require(
        startup.last(where: { $0.contains("READY=1") }), "no READY=1: \(child.stderr)")
      #expect(ready.contains("STATUS="))
      let readyResponse = try await TestHTTPClient.request("GET", port: port, path: "/-/ready")
      #expect(readyResponse.status == 200)

      // Watchdog pings at half of WATCHDOG_USEC (200 ms): several within a second.
      let pings = await notify.receive(until: { _ in false }, timeout: .milliseconds(1100))
        .filter { $0.contains("WATCHDOG=1") }
      #expect(pings.count >= 3, "pings: \(pings)")

      // Probes happen: the success counter moves.
      let metrics = await poll(port: port, path: "/metrics") {
        (sampleValue(
          $0.text, #"atalaya_probes_total{provider="good",model="sim-model",result="success"}"#)
          ?? 0) >= 2
      }
      #expect(metrics != nil, "no successful probes: \(child.stderr)")

      // A bad config on SIGHUP: RELOADING=1 with MONOTONIC_USEC, the old config keeps running,
      // the gauge drops to 0, the error names file:line:column.
      _ = try dir.write("atalaya.yml", config.yaml + "bogus_key: 1\n")
      child.send(SIGHUP)
      let reload = await notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(10))
      let reloading = try #require(reload.first { $0.contains("RELOADING=1") }, "got \(reload)")
      let usec = reloading.split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }
        .flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) }
      var now = timespec()
      clock_gettime(CLOCK_MONOTONIC, &now)
      let nowUsec = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
      #expect(usec != nil && usec! <= nowUsec && nowUsec - usec! < 10_000_000)
      #expect(reload.last?.contains("READY=1") == true)
      let afterBad = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(sampleValue(afterBad.text, "atalaya_config_last_reload_successful") == 0)
      #expect(child.stderr.contains("atalaya.yml:"))
      #expect(child.stderr.contains("bogus_key"))
      let stillProbing = await poll(port: port, path: "/-/ready") { $0.status == 200 }
      #expect(stillProbing != nil)

      // A good config with another provider: applied, gauge back to 1, new series appear.
      config.providers.append("second")
      _ = try dir.write("atalaya.yml", config.yaml)
      child.send(SIGHUP)
      _ = await notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(10))
      let afterGood = await poll(port: port, path: "/metrics") {
        sampleValue($0.text, "atalaya_config_last_reload_successful") == 1
          && $0.text.contains(#"provider="second""#)
      }
      #expect(afterGood != nil)

      // Issue 15, finding 11: signals that mean nothing to the agent do not kill it.
      for signal in [SIGUSR1, SIGUSR2, SIGALRM, SIGPWR, SIGPIPE] { child.send(signal) }
      let alive = try await TestHTTPClient.request("GET", port: port, path: "/-/healthy")
      #expect(alive.status == 200, "stderr: \(child.stderr)")

      // SIGTERM: STOPPING=1 and exit 0 well within 5 s.
      let stopStart = ContinuousClock.now
      child.send(SIGTERM)
      let stopping = await notify.receive(
        until: { $0.contains("STOPPING=1") }, timeout: .seconds(5))
      #expect(stopping.contains { $0.contains("STOPPING=1") })
      let code = await child.wait(timeout: .seconds(6))
      let elapsed = ContinuousClock.now - stopStart
      #expect(code == 0, "exit \(String(describing: code)); stderr: \(child.stderr)")
      #expect(elapsed < .seconds(5))
      #expect(!child.stderr.contains(testAPIKey))
    }
  }

  @Test func stopsWithinDeadlineWhileAProbeHangs() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let hanging = SimulatedProvider(name: "hangs", behavior: .fault(.hang), apiKey: testAPIKey)
    try await withSimulator([hanging]) { simulator, simPort in
      let port = FreePort.find()
      var config = TestConfig(listenPort: port, simulatorPort: simPort, providers: ["hangs"])
      config.interval = "1s"
      config.timeout = "1s"
      let path = try dir.write("atalaya.yml", config.yaml)
      let child = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { child.terminate() }
      _ = await poll(port: port, path: "/-/ready") { $0.status == 200 }
      // Wait until a probe is in flight, then stop.
      let deadline = ContinuousClock.now + .seconds(5)
      while simulator.requestCount(for: "hangs") == 0 && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
      }
      let start = ContinuousClock.now
      child.send(SIGINT)
      let code = await child.wait(timeout: .seconds(6))
      #expect(code == 0, "stderr: \(child.stderr)")
      #expect(ContinuousClock.now - start < .seconds(5))
    }
  }

  @Test func statePersistsAcrossRestartAndCorruptStateIsSetAside() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try await withSimulator([SimulatedProvider(name: "good", apiKey: testAPIKey)]) { _, simPort in
      let port = FreePort.find()
      var config = TestConfig(listenPort: port, simulatorPort: simPort, providers: ["good"])
      config.stateDir = dir.path + "/state"
      config.interval = "100ms"
      config.timeout = "100ms"
      let path = try dir.write("atalaya.yml", config.yaml)

      func probesInWindow() async -> Int? {
        guard let r = try? await TestHTTPClient.request("GET", port: port, path: "/api/v1/status"),
          let json = r.json, let providers = json["providers"] as? [[String: Any]],
          let checks = providers.first?["checks"] as? [[String: Any]]
        else { return nil }
        return checks.first?["probes_in_window"] as? Int
      }

      // First run: probe a while, then stop (saves state).
      let first = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { first.terminate() }
      _ = await poll(port: port, path: "/-/ready") { $0.status == 200 }
      var before = 0
      for _ in 0..<100 where before < 5 {
        before = await probesInWindow() ?? 0
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(before >= 5)
      first.send(SIGTERM)
      #expect(await first.wait(timeout: .seconds(6)) == 0)
      #expect(FileManager.default.fileExists(atPath: dir.path + "/state/state.json"))

      // Second run with a long interval: the history is there at once.
      config.interval = "1h"
      config.timeout = "10s"
      _ = try dir.write("atalaya.yml", config.yaml)
      let second = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { second.terminate() }
      _ = await poll(port: port, path: "/-/ready") { $0.status == 200 }
      let restored = await probesInWindow() ?? 0
      #expect(restored >= before, "stderr: \(second.stderr)")
      second.send(SIGTERM)
      #expect(await second.wait(timeout: .seconds(6)) == 0)

      // Third run over a corrupt file: starts anyway, reports it, moves it aside.
      try "{not json".write(
        toFile: dir.path + "/state/state.json", atomically: true, encoding: .utf8)
      let third = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { third.terminate() }
      let ready = await poll(port: port, path: "/-/ready") { $0.status == 200 }
      #expect(ready != nil, "stderr: \(third.stderr)")
      let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/state")
      #expect(files.contains { $0.hasPrefix("state.json.corrupt-") })
      #expect(third.stderr.contains("set aside"))
      third.send(SIGTERM)
      #expect(await third.wait(timeout: .seconds(6)) == 0)
    }
  }
}
