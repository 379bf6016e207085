import AtalayaTestSupport
import Foundation
import Simulator
import Testing

/// The agent's HTTP endpoints, served by the real binary probing simulated
/// providers: /metrics passes the real promtool, /api/v1/status has the
/// documented shape, /-/reload applies or refuses a config.
@Suite("HTTP endpoints (real binary)", .serialized)
struct EndpointsTests {
  @Test func metricsStatusAndReload() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let providers = [
      SimulatedProvider(name: "good", apiKey: testAPIKey),
      SimulatedProvider(name: "broken", behavior: .fault(.serverError), apiKey: testAPIKey),
      SimulatedProvider(name: "limited", behavior: .fault(.rateLimited), apiKey: testAPIKey),
    ]
    try await withSimulator(providers) { _, simPort in
      let port = FreePort.find()
      var config = TestConfig(
        listenPort: port, simulatorPort: simPort, providers: ["good", "broken", "limited"])
      config.interval = "500ms"
      config.timeout = "500ms"
      let path = try dir.write("atalaya.yml", config.yaml)
      let child = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { child.terminate() }

      // The broken provider's circuit opens (3 failures) and it is reported down; the
      // rate-limited one has answered at least once.
      let metrics = try #require(
        await poll(port: port, path: "/metrics", timeout: .seconds(20)) {
          sampleValue($0.text, #"atalaya_provider_status{provider="broken",status="down"}"#) == 1
            && (sampleValue(
              $0.text, #"atalaya_window_success_ratio{provider="good",model="sim-model"}"#) ?? 0)
              > 0
            && (sampleValue(
              $0.text,
              #"atalaya_probes_total{provider="limited",model="sim-model",result="rate_limited"}"#)
              ?? 0) >= 1
        },
        "stderr: \(child.stderr)")
      #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
      let text = metrics.text

      // promtool finds nothing to complain about.
      let promtool = try #require(
        Subprocess.which("promtool"), "promtool missing: apt-get install prometheus")
      let lint = try await Subprocess.run(promtool, ["check", "metrics"], stdin: Array(text.utf8))
      #expect(lint.status == 0, "promtool: \(lint.output)")
      #expect(
        lint.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
        "promtool: \(lint.output)")

      // Every documented family is there.
      for family in [
        "atalaya_probe_success", "atalaya_probe_duration_seconds", "atalaya_probe_phase_seconds",
        "atalaya_probe_http_status", "atalaya_probes_total", "atalaya_window_success_ratio",
        "atalaya_window_latency_seconds", "atalaya_circuit_state", "atalaya_provider_status",
        "atalaya_ratelimit_remaining", "atalaya_ratelimit_reset_seconds", "atalaya_tokens_total",
        "atalaya_build_info", "atalaya_config_last_reload_successful",
        "atalaya_config_last_reload_success_timestamp_seconds", "process_resident_memory_bytes",
        "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds",
      ] {
        #expect(text.contains("# TYPE \(family) "), "missing \(family)")
      }
      // Open, or half-open for the moment its 1 s reset timeout lets a trial probe through
      // (which fails and opens it again).
      #expect(
        (sampleValue(
          text, #"atalaya_circuit_state{provider="broken",model="sim-model",state="open"}"#) ?? 0)
          + (sampleValue(
            text, #"atalaya_circuit_state{provider="broken",model="sim-model",state="half_open"}"#)
            ?? 0) == 1)
      #expect(
        sampleValue(
          text, #"atalaya_circuit_state{provider="broken",model="sim-model",state="closed"}"#) == 0)
      #expect(
        (sampleValue(
          text, #"atalaya_probes_total{provider="limited",model="sim-model",result="rate_limited"}"#
        ) ?? 0) >= 1)
      // rate_limited does not count against health by default.
      #expect(sampleValue(text, #"atalaya_provider_status{provider="limited",status="down"}"#) == 0)
      #expect(
        sampleValue(text, #"atalaya_probe_http_status{provider="broken",model="sim-model"}"#) == 500
      )
      #expect(
        (sampleValue(
          text, #"atalaya_tokens_total{provider="good",model="sim-model",direction="input"}"#) ?? 0)
          > 0)
      #expect(!text.contains(testAPIKey))

      // The status API.
      let status = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status")
      #expect(status.status == 200)
      #expect(status.header("content-type")?.hasPrefix("application/json") == true)
      let json = try #require(status.json)
      #expect(json["status"] as? String == "down")  // the worst provider's
      let list = try #require(json["providers"] as? [[String: Any]])
      let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
      let good = try #require(byName["good"])
      #expect(good["status"] as? String != "down")
      #expect((good["uptime"] as? Double ?? 0) > 0)
      #expect(good["latency_p95_ms"] as? Double != nil)
      let broken = try #require(byName["broken"])
      #expect(broken["status"] as? String == "down")
      #expect(["open", "half_open"].contains(broken["circuit_state"] as? String ?? "closed"))
      let lastError = try #require(broken["last_error"] as? [String: Any])
      #expect(lastError["class"] as? String == "server_error")
      #expect(lastError["http_status"] as? Int == 500)
      let checks = try #require(broken["checks"] as? [[String: Any]])
      #expect(checks.first?["healthy"] as? Bool == false)
      #expect(checks.first?["last_result"] as? String == "server_error")
      #expect(!status.text.contains(testAPIKey))

      // Health and readiness.
      #expect(try await TestHTTPClient.request("GET", port: port, path: "/-/healthy").status == 200)
      #expect(try await TestHTTPClient.request("GET", port: port, path: "/-/ready").status == 200)

      // POST /-/reload: a good config is applied, a bad one refused with its errors.
      let ok = try await TestHTTPClient.request("POST", port: port, path: "/-/reload")
      #expect(ok.status == 200, "\(ok.text)")
      _ = try dir.write(
        "atalaya.yml", config.yaml.replacingOccurrences(of: "window: 1m", with: "window: soon"))
      let bad = try await TestHTTPClient.request("POST", port: port, path: "/-/reload")
      #expect(bad.status == 500)
      #expect(bad.text.contains("atalaya.yml:2:"))
      #expect(!bad.text.contains(testAPIKey))
      let after = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(sampleValue(after.text, "atalaya_config_last_reload_successful") == 0)
    }
  }
}
