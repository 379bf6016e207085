import AtalayaCore
import Exposition

/// Renders the Prometheus exposition, family by family in catalogue order, handing it out in
/// pieces of about ``pieceSize`` bytes: 200 checks make about 1 MB of text, which a scrape
/// never holds at once. A scrape fills the rows from the stores in place (``fillRows(_:at:)``,
/// ``fillHistory(_:at:)``), then ``render(reload:cost:alerting:routes:stateWriteFailures:emit:)``
/// and ``finish(process:emit:)`` write them. Keeps its buffer and rows between scrapes so
/// steady-state renders do not grow them again.
struct MetricsRenderer: Sendable {
  /// How full the buffer gets before a piece goes out (checked between families).
  static let pieceSize = 64 << 10

  var writer = ExpositionWriter(capacity: pieceSize * 2)
  /// The row of every check seen so far (see ``fillRows(_:at:)``).
  var checkRows: [CheckID: CheckRow] = [:]
  /// The rows of the scrape being rendered (or the last one), in view order.
  var rows: [CheckRow] = []
  /// The last scrape's rows while ``fillRows(_:at:)`` fills ``rows`` (kept for its capacity).
  var previousRows: [CheckRow] = []
  /// The providers of the scrape, in config order.
  var providers: [ProviderRow] = []
  /// Incidents and SLOs of the scrape (see ``fillHistory(_:at:)``).
  var historyFigures = HistoryFigures()
  let version: String

  init(version: String = AtalayaVersion.current) { self.version = version }

  /// Writes every family but the process's from the rows filled for this scrape.
  mutating func render(
    reload: ReloadState, cost: CostMetrics? = nil, alerting: AlertingMetrics? = nil,
    routes: [RouteView] = [], stateWriteFailures: [String: UInt64] = [:],
    emit: (ArraySlice<UInt8>) async throws -> Void
  ) async rethrows {
    writer.reset()
    defer {  // hold none of the stores' data between scrapes; the order is kept
      for row in rows { row.clearEntryData() }
      historyFigures = HistoryFigures()
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
      let phases = Self.phaseValues
      writer.sample(Catalogue.probePhaseSeconds, r.labels, phases[0], value: t.dns)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, phases[1], value: t.connect)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, phases[2], value: t.tls)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, phases[3], value: t.firstByte)
      writer.sample(Catalogue.probePhaseSeconds, r.labels, phases[4], value: t.total)
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
      for (result, count) in zip(Self.resultValues, r.probes) {
        writer.sample(Catalogue.probesTotal, r.labels, result, value: Double(count))
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
      for (index, label) in Self.quantileValues.enumerated() {
        guard let v = r.quantile(index) else { continue }
        writer.sample(Catalogue.windowLatencySeconds, r.labels, label, value: v)
      }
      try await flushIfFull(emit)
    }

    try await flushIfFull(emit)

    writer.family(Catalogue.circuitState)
    for r in rows {
      for (state, label) in zip(CircuitState.allCases, Self.circuitValues) {
        writer.sample(Catalogue.circuitState, r.labels, label, value: r.circuit == state ? 1 : 0)
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
    for p in providers {
      for status in ProviderStatus.allCases {
        writer.sample(
          Catalogue.providerStatus, p.name, status.rawValue, value: p.status == status ? 1 : 0)
      }
    }

    writeHistory()
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
      let kinds = Self.tokenValues
      writer.sample(Catalogue.tokensTotal, r.labels, kinds[0], value: Double(tokens.input))
      writer.sample(Catalogue.tokensTotal, r.labels, kinds[1], value: Double(tokens.output))
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

    try await flushIfFull(emit)
  }

  /// Writes the process's families (read while the rest was rendered) and sends the rest.
  mutating func finish(
    process: ProcessMetricsSnapshot?, emit: (ArraySlice<UInt8>) async throws -> Void
  ) async rethrows {
    if let process { ProcessMetrics.write(process, into: &writer) }
    try await writer.flush(emit)
  }

  // Label values written for every check, escaped once.
  static let resultValues = LabelValue.list(ResultClass.allCases.map(\.rawValue))
  static let phaseValues = LabelValue.list(["dns", "connect", "tls", "first_byte", "total"])
  static let quantileValues = LabelValue.list(Catalogue.windowQuantiles)
  static let circuitValues = LabelValue.list(CircuitState.allCases.map(\.rawValue))
  static let uptimeRangeValues = LabelValue.list(UptimeRange.allCases.map(\.rawValue))
  static let tokenValues = LabelValue.list(["input", "output"])

  /// Sends what is buffered once it makes a piece.
  private mutating func flushIfFull(_ emit: (ArraySlice<UInt8>) async throws -> Void) async rethrows
  {
    if writer.count >= Self.pieceSize { try await writer.flush(emit) }
  }
}
