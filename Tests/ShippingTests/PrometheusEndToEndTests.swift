import AtalayaTestSupport
import Foundation
import Testing

/// A real Prometheus scrapes the real `atalaya demo` every second with the alert rules
/// loaded: the target is up, the main series are there, every dashboard query (with the
/// template variables set) returns data, and every alert rule evaluates without error.
@Suite(.serialized) struct PrometheusEndToEndTests {
  static let demoProviders: Set<String> = ["steady", "flaky", "sluggish", "blinky", "throttled"]

  @Test func prometheusScrapesTheDemoAndEveryPanelHasData() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }

    let demoPort = FreePort.find()
    let demo = try ChildProcess(
      executable: BuiltProducts.atalaya, arguments: ["demo", "--port", String(demoPort)],
      environment: ["PATH": "/usr/bin:/bin"], directory: dir.path)
    defer { demo.terminate() }
    let prometheus = try PrometheusServer(
      targets: ["127.0.0.1:\(demoPort)"], ruleFiles: [ShippingFiles.rules], directory: dir.path)
    defer { prometheus.stop() }

    let demoReady = await waitFor(timeout: .seconds(20)) {
      (try? await TestHTTPClient.request("GET", port: demoPort, path: "/-/ready"))?.status == 200
    }
    try #require(demoReady, "the demo never became ready: \(demo.stderr)")
    try #require(
      await prometheus.waitUntilReady(), "Prometheus never became ready: \(prometheus.log)")

    // Which families the agent declares: every panel must use declared families only.
    let exposition = try await TestHTTPClient.request("GET", port: demoPort, path: "/metrics").text
    let declared = Set(
      exposition.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("# TYPE ") else { return nil }
        return line.split(separator: " ").dropFirst(2).first.map(String.init)
      })
    func isDeclared(_ name: String) -> Bool {
      declared.contains(name)
        || ["_bucket", "_sum", "_count"].contains {
          name.hasSuffix($0) && declared.contains(String(name.dropLast($0.count)))
        }
    }

    let dashboard = try DashboardFile.load()
    var required: [(title: String, expr: String)] = []
    for panel in dashboard.queryPanels {
      for expr in panel.exprs {
        let missing = metricNames(in: expr).filter { !isDeclared($0) }
        #expect(
          missing.isEmpty,
          "\(panel.title) uses metrics the agent does not export: \(missing.sorted())")
        required.append((title: panel.title, expr: DashboardFile.substitute(expr)))
      }
    }
    #expect(required.count >= 15)

    // Scrape until every required query has data (the demo probes every 5 s).
    var empty: [(title: String, expr: String, result: String)] = []
    _ = await waitFor(timeout: .seconds(60)) {
      empty = []
      for q in required {
        let r = try? await prometheus.query(q.expr)
        if let r, r.status == "success", !r.series.isEmpty { continue }
        empty.append(
          (
            q.title, q.expr,
            r.map { "\($0.status) \($0.error ?? "") \($0.series.count) series" } ?? "no answer"
          ))
      }
      return empty.isEmpty
    }
    for e in empty {
      Issue.record("panel \"\(e.title)\" returns no series: \(e.expr) → \(e.result)")
    }

    // The template variables' own queries.
    let providers = try await prometheus.labelValues("provider", match: "atalaya_provider_status")
    #expect(Set(providers) == Self.demoProviders)
    let models = try await prometheus.labelValues(
      "model", match: "atalaya_probe_success{provider=~\".*\"}")
    #expect(models.contains("sim-model"))

    // End to end: the target is up and the main series are there for every provider.
    let up = try await prometheus.query("up{job=\"atalaya\"}")
    #expect(up.values == ["1"], "up: \(up.values) \(prometheus.log)")
    for family in [
      "atalaya_provider_status", "atalaya_window_success_ratio", "atalaya_probes_total",
      "atalaya_circuit_state", "atalaya_probe_duration_seconds_count",
    ] {
      let r = try await prometheus.query("count by (provider) (\(family))")
      #expect(Set(r.labels.compactMap { $0["provider"] }) == Self.demoProviders, "\(family)")
    }
    // Latency quantiles exist only where probes succeeded: `blinky` may be in its
    // (wall-clock) outage while the test runs.
    let latency = try await prometheus.query("count by (provider) (atalaya_window_latency_seconds)")
    let withLatency = Set(latency.labels.compactMap { $0["provider"] })
    #expect(withLatency.isSuperset(of: Self.demoProviders.subtracting(["blinky"])))
    let build = try await prometheus.query("atalaya_build_info")
    #expect(build.series.count == 1)

    // Every alert rule is loaded and evaluates without error against the real series.
    var unhealthy: [String] = []
    var ruleCount = 0
    _ = await waitFor(timeout: .seconds(10)) {
      guard let json = try? await prometheus.api("/api/v1/rules"),
        let groups = (json["data"] as? [String: Any])?["groups"] as? [[String: Any]]
      else { return false }
      let rules = groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
      ruleCount = rules.count
      unhealthy = rules.compactMap { rule in
        rule["health"] as? String == "ok"
          ? nil : "\(rule["name"] ?? "?"): \(rule["health"] ?? "?") \(rule["lastError"] ?? "")"
      }
      return unhealthy.isEmpty && ruleCount > 0
    }
    #expect(ruleCount == (try AlertRulesTests.alertNames().count))
    #expect(unhealthy.isEmpty, "\(unhealthy)")
  }
}

/// Polls `condition` every 200 ms until it holds or `timeout` passes; returns the last result.
func waitFor(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
  let deadline = ContinuousClock.now + timeout
  while true {
    if await condition() { return true }
    if ContinuousClock.now >= deadline { return false }
    try? await Task.sleep(for: .milliseconds(200))
  }
}
