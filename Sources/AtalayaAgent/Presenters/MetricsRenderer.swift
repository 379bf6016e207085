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
  /// The row of every check seen so far (see ``fillRows(_:)``).
  var checkRows: [CheckID: CheckRow] = [:]
  /// The rows of the scrape being rendered (or the last one), in view order.
  var rows: [CheckRow] = []
  /// The last scrape's rows while ``fillRows(_:)`` fills ``rows`` (kept for its capacity).
  var previousRows: [CheckRow] = []
  let version: String

  init(version: String = AtalayaVersion.current) { self.version = version }

  mutating func render(
    _ view: FleetView, reload: ReloadState, cost: CostMetrics? = nil,
    alerting: AlertingMetrics? = nil, history: HistoryView? = nil, routes: [RouteView] = [],
    stateWriteFailures: [String: UInt64] = [:],
    process: ProcessMetricsSnapshot? = nil,
    emit: ([UInt8]) async throws -> Void
  ) async rethrows {
    writer.reset()
    fillRows(view)
    defer {  // hold none of the view's data between scrapes; the order is kept
      for row in rows { row.clearViewData() }
    }

    writer.family(Catalogue.probeSuccess)
    for r in rows {
      guard let last = r.last else { continue }
      writer.sample(Catalogue.probeSuccess, r.labels, value: last.success ? 1 : 0)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probeDurationSeconds)
    for r in rows {
      writer.histogram(
        Catalogue.probeDurationSeconds, r.labels, bucketCounts: r.bucketCounts,
        sum: r.durationSum, count: r.durationCount)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probePhaseSeconds)
    for r in rows {
      guard let t = r.last?.timings else { continue }
      writer.sample(Catalogue.probePhaseSeconds, r.labels, "dns", value: t.dns)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, "connect", value: t.connect)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, "tls", value: t.tls)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, "first_byte", value: t.firstByte)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, "total", value: t.total)
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probeTTFTSeconds)
    for r in rows {
      guard let ttft = r.last?.ttft else { continue }
      writer.sample(Catalogue.probeTTFTSeconds, r.labels, value: ttft)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probeHTTPStatus)
    for r in rows {
      // 0 when the last probe got no response (as blackbox_exporter's probe_http_status_code).
      guard let last = r.last else { continue }
      writer.sample(Catalogue.probeHTTPStatus, r.labels, value: Double(last.httpStatus))
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.probesTotal)
    for r in rows {
      for (result, count) in zip(ResultClass.allCases, r.probes) {
        writer.sample(Catalogue.probesTotal, r.labels, result.rawValue, value: Double(count))
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.windowSuccessRatio)
    for r in rows {
      guard let ratio = r.successRatio else { continue }
      writer.sample(Catalogue.windowSuccessRatio, r.labels, value: ratio)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.windowLatencySeconds)
    for r in rows {
      for (index, label) in Catalogue.windowQuantiles.enumerated() {
        guard let v = r.quantile(index) else { continue }
        writer.sample(Catalogue.windowLatencySeconds, r.labels, label, value: v)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitState)
    for r in rows {
      for state in CircuitState.allCases {
        writer.sample(
          Catalogue.circuitState, r.labels, state.rawValue, value: r.circuit == state ? 1 : 0)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitOpenReason)
    for r in rows where r.circuit != .closed {
      guard let reason = r.openReason else { continue }
      for reasonCase in CircuitOpenReason.allCases {
        writer.sample(
          Catalogue.circuitOpenReason, r.labels, reasonCase.rawValue,
          value: reasonCase == reason ? 1 : 0)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitNextProbeTimestampSeconds)
    for r in rows {
      guard let next = r.nextProbeAt else { continue }
      writer.sample(Catalogue.circuitNextProbeTimestampSeconds, r.labels, value: next.seconds)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.modelListed)
    for r in rows {
      for (model, listed) in r.listedModels {
        writer.sample(Catalogue.modelListed, r.id.provider, model, value: listed ? 1 : 0)
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
    for row in rows {
      for r in row.rateLimits {
        guard let remaining = r.remaining else { continue }
        writer.sample(
          Catalogue.rateLimitRemaining, row.labels, r.resource.rawValue, value: remaining)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.rateLimitResetSeconds)
    for row in rows {
      for r in row.rateLimits {
        guard let reset = r.resetSeconds else { continue }
        writer.sample(
          Catalogue.rateLimitResetSeconds, row.labels, r.resource.rawValue, value: reset)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.tokensTotal)
    for r in rows {
      guard let tokens = r.tokens else { continue }
      writer.sample(Catalogue.tokensTotal, r.labels, "input", value: Double(tokens.input))
      writer.sample(Catalogue.tokensTotal, r.labels, "output", value: Double(tokens.output))
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
