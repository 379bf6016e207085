import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator

/// Writes agent configs for tests against a simulator: every provider gets
/// one chat check with a short interval.
struct TestConfig {
  var listenPort: Int
  var simulatorPort: Int
  var providers: [String]
  // Timeouts as long as the interval: a loaded CI machine must not turn a loopback probe
  // into a timeout (tests that want timeouts use hanging or slow simulated providers).
  var interval = "200ms"
  var timeout = "200ms"
  var window = "1m"
  var stateDir: String?
  var extra = ""

  var yaml: String {
    var y = """
      listen: 127.0.0.1:\(listenPort)
      window: \(window)
      defaults: {interval: \(interval), timeout: \(timeout)}
      circuit_breaker: {failure_threshold: 3, reset_timeout: 1s, success_threshold: 1}

      """
    if let stateDir { y += "state_dir: \(stateDir)\n" }
    y += "providers:\n"
    for name in providers {
      y += """
          - name: \(name)
            type: openai
            base_url: http://127.0.0.1:\(simulatorPort)/\(name)/v1
            api_key: ${TEST_API_KEY}
            checks:
              - model: sim-model
                slow: \(timeout)

        """
    }
    return y + extra
  }
}

/// The API key the tests' simulated providers expect; long enough to be redacted.
let testAPIKey = "sk-test-0123456789abcdefSECRET"

/// The environment the agent binary runs with in tests.
func agentEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
  var env = ["PATH": "/usr/bin:/bin", "TEST_API_KEY": testAPIKey, "LOG_LEVEL": "info"]
  for (k, v) in extra { env[k] = v }
  return env
}

/// Polls `GET path` until `predicate` holds on the response body or `timeout` passes.
func poll(
  port: Int, path: String, timeout: Duration = .seconds(10),
  until predicate: (TestHTTPClientResponse) -> Bool
) async -> TestHTTPClientResponse? {
  let deadline = ContinuousClock.now + timeout
  var last: TestHTTPClientResponse?
  while ContinuousClock.now < deadline {
    if let r = try? await TestHTTPClient.request(
      "GET", port: port, path: path, timeout: .seconds(2))
    {
      last = r
      if predicate(r) { return r }
    }
    try? await Task.sleep(for: .milliseconds(50))
  }
  return last.flatMap { predicate($0) ? $0 : nil }
}

/// The value of an unlabelled or labelled sample in a Prometheus exposition.
func sampleValue(_ exposition: String, _ series: String) -> Double? {
  for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
    return Double(line.dropFirst(series.count + 1).split(separator: " ")[0])
  }
  return nil
}
