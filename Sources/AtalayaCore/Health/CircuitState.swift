/// The state of a check's circuit breaker; raw values are the `state` label values.
public enum CircuitState: String, CaseIterable, Sendable, Codable, Hashable {
  /// Probing normally.
  case closed
  /// Too many consecutive failures: probes are held back until the reset timeout.
  case open
  /// The reset timeout passed: probes are let through to test recovery.
  case halfOpen = "half_open"
}
