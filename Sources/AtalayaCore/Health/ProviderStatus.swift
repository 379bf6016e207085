/// A provider's overall health; raw values are the status API values.
public enum ProviderStatus: String, CaseIterable, Sendable, Codable, Hashable {
  case healthy
  case degraded
  case down

  /// The status rule over a provider's checks:
  /// - `down` when every check's circuit is open. A half-open circuit has not yet
  ///   proven recovery, so it counts as open here (and as a failure otherwise): a down
  ///   provider stays down until a check's circuit closes, instead of flapping to
  ///   degraded each time the reset timeout lets a trial probe through;
  /// - `degraded` when any check is not healthy (see ``CheckStatusInput/isHealthy(policy:)``:
  ///   an open or half-open circuit, a window success ratio below the policy minimum, or a
  ///   p95 above that check's `slow`);
  /// - else `healthy`. A provider with no data yet (no checks, or checks without ratio and
  ///   p95 and with closed circuits) is healthy.
  public static func evaluate(checks: [CheckStatusInput], policy: HealthPolicy = HealthPolicy())
    -> ProviderStatus
  {
    guard !checks.isEmpty else { return .healthy }
    if checks.allSatisfy({ $0.circuit != .closed }) { return .down }
    if checks.contains(where: { !$0.isHealthy(policy: policy) }) { return .degraded }
    return .healthy
  }
}

/// Thresholds of the status rule.
public struct HealthPolicy: Sendable, Equatable, Codable {
  /// A window success ratio below this makes a check unhealthy (default 0.95).
  public var minSuccessRatio: Double

  public init(minSuccessRatio: Double = 0.95) {
    self.minSuccessRatio = minSuccessRatio
  }
}

/// What the status rule needs to know about one check.
public struct CheckStatusInput: Sendable, Equatable {
  /// The circuit state now.
  public var circuit: CircuitState
  /// The window success ratio, nil without counted samples.
  public var successRatio: Double?
  /// The window p95 latency of successful probes in seconds, nil without data.
  public var p95: Double?
  /// The check's `slow` threshold.
  public var slow: Duration

  public init(circuit: CircuitState, successRatio: Double?, p95: Double?, slow: Duration) {
    self.circuit = circuit
    self.successRatio = successRatio
    self.p95 = p95
    self.slow = slow
  }

  /// Healthy when the circuit is closed, the success ratio (if any) is at least
  /// `policy.minSuccessRatio` and the p95 (if any) is at most `slow`. Missing data is healthy.
  public func isHealthy(policy: HealthPolicy = HealthPolicy()) -> Bool {
    guard circuit == .closed else { return false }
    if let successRatio, successRatio < policy.minSuccessRatio { return false }
    if let p95, p95 > slow.seconds { return false }
    return true
  }
}
