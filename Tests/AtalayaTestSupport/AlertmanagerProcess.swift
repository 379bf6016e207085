import AtalayaCore
import Foundation

/// A real Alertmanager (Debian's prometheus-alertmanager) on loopback, started per test
/// with a temporary storage path and killed on exit: alone (clustering off) or as a member
/// of a cluster (`--cluster.listen-address`, `--cluster.peer`).
public struct AlertmanagerProcess: Sendable {
  public static let binary = "/usr/bin/prometheus-alertmanager"

  /// Why an Alertmanager could not be started.
  public struct StartFailure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
  }

  /// Clustering settings: this member's gossip port and its peers' addresses, with the
  /// timing that decides deduplication (a member waits its position × `peerTimeout`
  /// before notifying, and skips what the notification log says a peer sent).
  public struct Cluster: Sendable {
    public var port: Int
    public var peers: [String]
    public var peerTimeout: Duration

    public init(port: Int, peers: [String], peerTimeout: Duration = .seconds(3)) {
      self.port = port
      self.peers = peers
      self.peerTimeout = peerTimeout
    }
  }

  public let process: ChildProcess
  public let port: Int
  public var url: String { "http://127.0.0.1:\(port)" }

  /// Starts Alertmanager with `config` (alertmanager.yml text; a null receiver by default)
  /// and waits until it is ready.
  public init(
    directory: TemporaryDirectory, name: String = "alertmanager",
    config: String = "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n",
    cluster: Cluster? = nil
  ) async throws {
    guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
      throw StartFailure(
        description:
          "\(Self.binary) is missing: apt-get install prometheus-alertmanager (make test-deps)")
    }
    let file = try directory.write("\(name).yml", config)
    port = FreePort.find()
    var arguments = [
      "--config.file=\(file)", "--storage.path=\(directory.path)/\(name)-data",
      "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
    ]
    if let cluster {
      let ms = Int((cluster.peerTimeout.seconds * 1000).rounded())
      arguments += [
        "--cluster.listen-address=127.0.0.1:\(cluster.port)",
        "--cluster.advertise-address=127.0.0.1:\(cluster.port)",
        "--cluster.peer-timeout=\(ms)ms", "--cluster.gossip-interval=100ms",
        "--cluster.pushpull-interval=1s", "--cluster.settle-timeout=1s",
      ]
      arguments += cluster.peers.map { "--cluster.peer=\($0)" }
    } else {
      arguments.append("--cluster.listen-address=")
    }
    process = try ChildProcess(
      executable: Self.binary, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"],
      directory: directory.path)
    let deadline = ContinuousClock.now + .seconds(15)
    while true {
      if let ready = try? await TestHTTPClient.request("GET", port: port, path: "/-/ready"),
        ready.status == 200
      {
        break
      }
      let exited = await process.wait(timeout: .zero) != nil
      if exited || ContinuousClock.now >= deadline {
        process.terminate()
        throw StartFailure(
          description: "alertmanager did not become ready: \(process.stderr.suffix(2000))")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  /// GET /api/v2/alerts, as JSON (empty when the answer is not a list).
  public func alerts() async throws -> [JSONValue] {
    let response = try await TestHTTPClient.request("GET", port: port, path: "/api/v2/alerts")
    return JSONValue.parse(response.body)?.arrayValue ?? []
  }

  /// GET /api/v2/status: the cluster's peers as this member sees them.
  public func clusterPeers() async throws -> Int {
    let response = try await TestHTTPClient.request("GET", port: port, path: "/api/v2/status")
    return JSONValue.parse(response.body)?["cluster"]?["peers"]?.arrayValue?.count ?? 0
  }

  /// The sum of a counter in its /metrics (all label sets whose line contains `filter`).
  public func counter(_ name: String, containing filter: String = "") async throws -> Double {
    let response = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
    var total = 0.0
    for line in response.text.split(separator: "\n")
    where line.hasPrefix(name) && line.contains(filter) {
      let parts = line.split(separator: " ")
      guard parts.count >= 2, String(parts[0]).hasPrefix(name + "{") || parts[0] == name,
        let value = Double(parts[1])
      else { continue }
      total += value
    }
    return total
  }

  public func stop() { process.terminate() }
}
