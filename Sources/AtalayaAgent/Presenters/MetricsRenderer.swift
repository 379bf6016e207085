import AtalayaCore
import Exposition

/// Renders a ``FleetView`` as the Prometheus exposition, family by family in
/// catalogue order, handing it out in pieces of about ``pieceSize`` bytes: 200 checks make
/// about 1 MB of text, which a scrape never holds at once. Keeps its buffer between scrapes
/// so steady-state renders do not grow it again.
struct MetricsRenderer: Sendable {
  /// How full the buffer gets before a piece goes out (checked between families).
  static let pieceSize = 64 << 10

  var writer = ExpositionWriter(capacity: pieceSize * 2)
  let version: String

  init(version: String = AtalayaVersion.current) { self.version = version }

  static let quantiles: [Double] = [0.5, 0.9, 0.95, 0.99]

  mutating func render(
    _ view: FleetView, reload: ReloadState, cost: CostMetrics? = nil,
    alerting: AlertingMetrics? = nil, history: HistoryView? = nil, routes: [RouteView] = [],
    stateWriteFailures: [String: UInt64] = [:],
    process: ProcessMetricsSnapshot? = nil,
    emit: ([UInt8]) async throws -> Void
  ) async rethrows {
    writer.reset()
    let checks = view.checks

    writer.family(Catalogue.probeSuccess)
    for c in checks {
      guard let last = c.health.lastOutcome else { continue }
      writer.sample(
        Catalogue.probeSuccess, c.id.provider, c.id.model, value: last.result.isSuccess ? 1 : 0)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probeDurationSeconds)
    for c in checks {
      let h = c.health.durations
      writer.histogram(
        Catalogue.probeDurationSeconds, c.id.provider, c.id.model,
        upperBounds: DurationHistogram.upperBounds, cumulativeCounts: h.cumulativeCounts,
        sum: h.sum, count: h.count)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probePhaseSeconds)
    for c in checks {
      guard let t = c.health.lastOutcome?.timings else { continue }
      for (index, phase) in Catalogue.phases.enumerated() {
        let value: Double
        switch index {  // no array of the five values per check and scrape
        case 0: value = t.dns
        case 1: value = t.connect
        case 2: value = t.tls
        case 3: value = t.firstByte
        default: value = t.total
        }
        writer.sample(Catalogue.probePhaseSeconds, c.id.provider, c.id.model, phase, value: value)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probeTTFTSeconds)
    for c in checks {
      guard let ttft = c.health.lastOutcome?.ttft else { continue }
      writer.sample(Catalogue.probeTTFTSeconds, c.id.provider, c.id.model, value: ttft)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probeHTTPStatus)
    for c in checks {
      // 0 when the last probe got no response (as blackbox_exporter's probe_http_status_code).
      guard let last = c.health.lastOutcome else { continue }
      writer.sample(
        Catalogue.probeHTTPStatus, c.id.provider, c.id.model, value: Double(last.httpStatus ?? 0))
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probesTotal)
    for c in checks {
      for result in ResultClass.allCases {
        writer.sample(
          Catalogue.probesTotal, c.id.provider, c.id.model, result.rawValue,
          value: Double(c.health.probes[result]))
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.windowSuccessRatio)
    for c in checks {
      guard let ratio = c.stats.successRatio else { continue }
      writer.sample(Catalogue.windowSuccessRatio, c.id.provider, c.id.model, value: ratio)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.windowLatencySeconds)
    for c in checks {
      for (label, q) in zip(Catalogue.windowQuantiles, Self.quantiles) {
        guard let v = c.stats.quantile(q) else { continue }
        writer.sample(Catalogue.windowLatencySeconds, c.id.provider, c.id.model, label, value: v)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitState)
    for c in checks {
      for state in CircuitState.allCases {
        writer.sample(
          Catalogue.circuitState, c.id.provider, c.id.model, state.rawValue,
          value: c.circuit == state ? 1 : 0)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitOpenReason)
    for c in checks where c.circuit != .closed {
      guard let reason = c.health.breaker.reason else { continue }
      for r in CircuitOpenReason.allCases {
        writer.sample(
          Catalogue.circuitOpenReason, c.id.provider, c.id.model, r.rawValue,
          value: r == reason ? 1 : 0)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitNextProbeTimestampSeconds)
    for c in checks {
      guard let next = c.health.breaker.nextProbeAt(now: view.at) else { continue }
      writer.sample(
        Catalogue.circuitNextProbeTimestampSeconds, c.id.provider, c.id.model, value: next.seconds)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.modelListed)
    for c in checks {
      for (model, listed) in c.listedModels {
        writer.sample(Catalogue.modelListed, c.id.provider, model, value: listed ? 1 : 0)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.providerStatus)
    for p in view.providers {
      for status in ProviderStatus.allCases {
        writer.sample(
          Catalogue.providerStatus, p.name, status.rawValue, value: p.status == status ? 1 : 0)
      }
    }

    if let history { writeHistory(history, view) }
    try await flushIfFull(emit)
    writeRoutes(routes)
    try await flushIfFull(emit)

    try await flushIfFull(emit)

    writer.family(Catalogue.rateLimitRemaining)
    for c in checks {
      for r in c.rateLimits {
        guard let remaining = r.remaining else { continue }
        writer.sample(
          Catalogue.rateLimitRemaining, c.id.provider, c.id.model, r.resource.rawValue,
          value: remaining)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.rateLimitResetSeconds)
    for c in checks {
      for r in c.rateLimits {
        guard let reset = r.resetSeconds else { continue }
        writer.sample(
          Catalogue.rateLimitResetSeconds, c.id.provider, c.id.model, r.resource.rawValue,
          value: reset)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.tokensTotal)
    for c in checks where c.check.kind == .chat {
      writer.sample(
        Catalogue.tokensTotal, c.id.provider, c.id.model, "input",
        value: Double(c.health.inputTokens))
      writer.sample(
        Catalogue.tokensTotal, c.id.provider, c.id.model, "output",
        value: Double(c.health.outputTokens))
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)
    if let cost { writeCost(cost) }

    writer.family(Catalogue.buildInfo)
    writer.sample(Catalogue.buildInfo, version, value: 1)
    writer.family(Catalogue.configLastReloadSuccessful)
    writer.sample(Catalogue.configLastReloadSuccessful, value: reload.successful ? 1 : 0)
    writer.family(Catalogue.configLastReloadSuccessTimestampSeconds)
    writer.sample(
      Catalogue.configLastReloadSuccessTimestampSeconds, value: reload.lastSuccess.seconds)

    if let alerting { writeAlerting(alerting) }

    try await flushIfFull(emit)

    writer.family(Catalogue.stateWriteFailuresTotal)
    for (file, count) in stateWriteFailures.sorted(by: { $0.key < $1.key }) {
      writer.sample(Catalogue.stateWriteFailuresTotal, file, value: Double(count))
    }

    if let process { ProcessMetrics.write(process, into: &writer) }
    try await writer.flush(emit)
  }

  /// Sends what is buffered once it makes a piece.
  private mutating func flushIfFull(_ emit: ([UInt8]) async throws -> Void) async rethrows {
    if writer.bytes.count >= Self.pieceSize { try await writer.flush(emit) }
  }
}
