import AtalayaTestSupport
import Foundation

/// A real Prometheus (the Debian package's `prometheus` binary) for tests: loopback, a free
/// port, a temporary storage directory, 1 s scrape and evaluation intervals. Killed by
/// ``stop()`` (call it in `defer`).
final class PrometheusServer: Sendable {
  let port: Int
  private let child: ChildProcess

  /// Starts Prometheus scraping `targets` in the job `atalaya`, with `ruleFiles` loaded.
  init(targets: [String], ruleFiles: [String], directory: String) throws {
    guard let binary = Subprocess.which("prometheus") else {
      throw SubprocessError.notFound("prometheus")
    }
    port = FreePort.find()
    let quotedTargets = targets.map { "'\($0)'" }.joined(separator: ", ")
    let rules = ruleFiles.map { "  - '\($0)'" }.joined(separator: "\n")
    let config = """
      global:
        scrape_interval: 1s
        scrape_timeout: 900ms
        evaluation_interval: 1s
      rule_files:
      \(rules)
      scrape_configs:
        - job_name: atalaya
          static_configs:
            - targets: [\(quotedTargets)]

      """
    let configPath = directory + "/prometheus.yml"
    try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(
      atPath: directory + "/data", withIntermediateDirectories: true)
    child = try ChildProcess(
      executable: binary,
      arguments: [
        "--config.file=\(configPath)", "--storage.tsdb.path=\(directory)/data",
        "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
      ],
      environment: ["PATH": "/usr/bin:/bin", "HOME": directory], directory: directory)
  }

  /// Waits until /-/ready answers 200; false (with the log at hand) when it does not in time.
  func waitUntilReady(timeout: Duration = .seconds(30)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let r = try? await TestHTTPClient.request("GET", port: port, path: "/-/ready"),
        r.status == 200
      {
        return true
      }
      try? await Task.sleep(for: .milliseconds(100))
    }
    return false
  }

  /// Prometheus' own log (stderr).
  var log: String { child.stderr }

  func stop() { child.terminate() }

  /// GET an API path and parse the JSON object it returns.
  func api(_ path: String) async throws -> [String: Any] {
    let r = try await TestHTTPClient.request("GET", port: port, path: path, timeout: .seconds(10))
    guard let json = r.json else {
      throw DashboardFileError("\(path): HTTP \(r.status), not JSON: \(r.text)")
    }
    return json
  }

  /// An instant query: Prometheus' status, error (if any) and the result series.
  func query(_ expr: String) async throws -> QueryResult {
    let json = try await api("/api/v1/query?query=" + Self.encode(expr))
    let data = json["data"] as? [String: Any]
    return QueryResult(
      status: json["status"] as? String ?? "", error: json["error"] as? String,
      series: data?["result"] as? [[String: Any]] ?? [])
  }

  /// The values of label `name` on series matching `selector`.
  func labelValues(_ name: String, match selector: String) async throws -> [String] {
    let json = try await api("/api/v1/label/\(name)/values?match[]=" + Self.encode(selector))
    return json["data"] as? [String] ?? []
  }

  static func encode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}

/// The answer to one instant query.
struct QueryResult {
  var status: String
  var error: String?
  var series: [[String: Any]]

  /// The label sets of the result series.
  var labels: [[String: String]] { series.map { $0["metric"] as? [String: String] ?? [:] } }
  /// The sample values (as Prometheus prints them: "1", "0.25", "NaN").
  var values: [String] { series.map { ($0["value"] as? [Any])?.last as? String ?? "" } }
}
