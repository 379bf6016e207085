import AtalayaTestSupport
import Foundation
import Testing

/// packaging/atalaya.yml and atalaya.env: the built `atalaya check` accepts the example
/// config (its key comes from a systemd credential), and the file shows every option.
@Suite struct ExampleConfigTests {
  static let fakeKey = "sk-or-v1-0123456789abcdef0123456789abcdef"

  func check(environment: [String: String]) async throws -> (status: Int32, output: String) {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let child = try ChildProcess(
      executable: BuiltProducts.atalaya,
      arguments: ["check", "--config", ShippingFiles.exampleConfig],
      environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a },
      directory: dir.path)
    defer { child.terminate() }
    let status = try #require(await child.wait(timeout: .seconds(20)))
    return (status, child.stdout + child.stderr)
  }

  @Test func checkAcceptsItWithTheCredential() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    _ = try dir.write("openrouter_api_key", Self.fakeKey + "\n")
    let (status, output) = try await check(environment: ["CREDENTIALS_DIRECTORY": dir.path])
    #expect(status == 0, "\(output)")
    #expect(output.contains("valid"))
    #expect(!output.contains(Self.fakeKey))
  }

  @Test func checkRefusesItWithoutTheCredential() async throws {
    let (status, output) = try await check(environment: [:])
    #expect(status == 1)
    #expect(
      output.contains("api_key_credential") && output.contains("CREDENTIALS_DIRECTORY"), "\(output)"
    )
  }

  /// Every key of the config reference (ConfigLoader's doc comment) appears in the example.
  @Test func showsEveryOption() throws {
    let text = try ShippingFiles.text(ShippingFiles.exampleConfig)
    for key in [
      "listen", "state_dir", "window", "defaults", "interval", "timeout", "providers", "name",
      "type", "base_url", "api_key", "api_key_file", "api_key_credential", "headers",
      "count_rate_limited", "checks", "model", "kind", "max_tokens", "stream", "slow",
      "circuit_breaker", "failure_threshold", "reset_timeout", "success_threshold",
      // alerting and cost (commented out until the agent parses them)
      "alerting", "evaluation_interval", "repeat_interval", "send_resolved", "rules", "expr",
      "keep_firing_for", "severity", "receivers", "annotations", "silences", "pricing",
      "probe_budget_per_hour", "budgets", "limit_usd", "period", "warn_at", "account",
      // breaker policy, model contract, reasoning probes, history, routes, events
      "half_open_probes", "error_rate", "latency", "excluded_classes", "quota_recheck",
      "auth_recheck", "expect", "reasoning_effort", "incidents", "close_after", "slos", "target",
      "routes", "candidates", "skip_below", "max_latency_p95", "disable_for", "events",
      "max_subscribers",
      // silences, maintenance, inhibition
      "maintenance", "days", "start", "end", "matchers", "inhibit_rules", "source_matchers",
      "target_matchers", "equal",
    ] {
      #expect(text.contains("\(key):"), "the example config does not show `\(key)`")
    }
  }

  @Test func environmentFileIsCommentsAndAssignments() throws {
    let text = try ShippingFiles.text(ShippingFiles.exampleEnvironment)
    var names: [String] = []
    for raw in text.split(separator: "\n") {
      var line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
      if line.hasPrefix("#") {
        line = String(line.dropFirst())
        guard let eq = line.firstIndex(of: "="),
          line[..<eq].allSatisfy({ $0.isUppercase || $0 == "_" })
        else { continue }
      }
      let name = line.prefix { $0 != "=" }
      #expect(
        !name.isEmpty && name.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" },
        "not an assignment: \(raw)")
      names.append(String(name))
    }
    #expect(names.contains("OPENROUTER_API_KEY") && names.contains("LOG_LEVEL"))
  }
}
