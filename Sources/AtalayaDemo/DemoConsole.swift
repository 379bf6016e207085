import AtalayaAgent
import AtalayaCore
import Synchronization

/// Prints one line per probe round for `atalaya demo`: each provider's status
/// and its latest result.
public final class DemoConsole: Sendable {
  private let latest = Locked<[CheckID: ProbeOutcome]>([:])
  private let round = Locked(0)

  public init() {}

  public func record(_ outcome: ProbeOutcome) {
    latest.withLock { $0[outcome.check] = outcome }
  }

  /// The round line for `view` (also printed by ``printRound(_:)``).
  public func line(_ view: FleetView) -> String {
    let outcomes = latest.withLock { $0 }
    let n = round.withLock { r -> Int in
      r += 1
      return r
    }
    var parts: [String] = []
    for p in view.providers {
      let results = p.checks.compactMap { outcomes[$0.id] }
      let detail = results.map { o -> String in
        o.result.isSuccess ? ProbeTable.ms(o.latency) : o.result.rawValue
      }.joined(separator: ",")
      parts.append("\(p.name) \(p.status.rawValue)\(detail.isEmpty ? "" : " (\(detail))")")
    }
    let time = RFC3339.format(view.at).dropFirst(11).prefix(8)
    return "\(time) round \(n) [\(view.overall.rawValue)] " + parts.joined(separator: " | ")
  }

  public func printRound(_ view: FleetView) {
    print(line(view))
  }
}
