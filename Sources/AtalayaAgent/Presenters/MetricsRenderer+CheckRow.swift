import AtalayaCore
import Exposition

extension MetricsRenderer {
  /// What the per-check families read of one check, taken from its entry in the fleet's table
  /// (read in place, under the health store's lock) once per scrape. The families walk the
  /// checks a dozen times; a row holds just the numbers they write. A row is kept per check
  /// between scrapes (with its label set) and updated in place, so a steady-state scrape
  /// allocates none.
  ///
  /// `@unchecked Sendable` and `@exclusivity(unchecked)` (no dynamic access check at each of
  /// the ~50 reads and writes of a row per scrape): rows are only touched by the renderer
  /// that owns them, and a renderer is used by one scrape at a time (``AgentPresenter``
  /// takes it out of its lock).
  final class CheckRow: @unchecked Sendable {
    /// `provider="…",model="…"`, rendered once per check.
    let labels: LabelSet
    let id: CheckID
    /// Where the check's provider is in ``MetricsRenderer/providers``.
    @exclusivity(unchecked) var provider = 0
    /// The last probe's result, HTTP status (0: no response), phase timings and TTFT.
    @exclusivity(unchecked) var last:
      (success: Bool, httpStatus: Int, timings: PhaseTimings?, ttft: Double?)?
    /// The duration histogram's per-bucket counts, sum and count (copied into the row's own
    /// array: holding the histogram's would make the next probe copy it).
    @exclusivity(unchecked) var bucketCounts: [UInt64]
    @exclusivity(unchecked) var durationSum: Double = 0
    @exclusivity(unchecked) var durationCount: UInt64 = 0
    /// Probes by result, in `ResultClass.allCases` order (the row's own array, likewise).
    @exclusivity(unchecked) var probes: [UInt64]
    @exclusivity(unchecked) var successRatio: Double?
    /// The window's latency at ``LatencySummary/quantiles``.
    @exclusivity(unchecked) var quantiles: (Double?, Double?, Double?, Double?)
    @exclusivity(unchecked) var circuit: CircuitState
    @exclusivity(unchecked) var openReason: CircuitOpenReason?
    @exclusivity(unchecked) var nextProbeAt: Timestamp?
    @exclusivity(unchecked) var listedModels: [(model: String, listed: Bool)]
    @exclusivity(unchecked) var rateLimits: [RateLimitReading]
    /// Tokens used by a chat check's probes (nil for other kinds).
    @exclusivity(unchecked) var tokens: (input: UInt64, output: UInt64)?
    /// Uptime over each of `UptimeRange.allCases` (see ``MetricsRenderer/fillHistory(_:at:)``).
    @exclusivity(unchecked) var uptimes: (Double?, Double?, Double?, Double?)

    init(_ entry: UnsafePointer<FleetHealth.Entry>, _ reading: CheckReading, at now: Timestamp) {
      id = entry.pointee.id
      labels = LabelSet(names: MetricsRenderer.checkLabelNames, values: [id.provider, id.model])
      last = nil
      bucketCounts = []
      probes = Array(repeating: 0, count: ResultClass.allCases.count)
      circuit = .closed
      listedModels = []
      rateLimits = []
      update(entry, reading, at: now)
    }

    /// Takes this scrape's values from the check's entry (read in place, see
    /// ``FleetHealth/walk(at:check:provider:)``) and reading.
    func update(
      _ entry: UnsafePointer<FleetHealth.Entry>, _ reading: CheckReading, at now: Timestamp
    ) {
      // Field by field: binding the outcome would copy it (its strings and arrays retained).
      if entry.pointee.health.lastOutcome != nil {
        last = (
          entry.pointee.health.lastOutcome?.result.isSuccess ?? false,
          entry.pointee.health.lastOutcome?.httpStatus ?? 0,
          entry.pointee.health.lastOutcome?.timings, entry.pointee.health.lastOutcome?.ttft
        )
      } else {
        last = nil
      }
      entry.pointee.health.durations.bucketCounts.withUnsafeBufferPointer { durations in
        if bucketCounts.count == durations.count {
          for index in durations.indices { bucketCounts[index] = durations[index] }
        } else {
          bucketCounts = Array(durations)  // a buffer of its own
        }
      }
      durationSum = entry.pointee.health.durations.sum
      durationCount = entry.pointee.health.durations.count
      for (index, result) in ResultClass.allCases.enumerated() {
        probes[index] = entry.pointee.health.probes[result]
      }
      successRatio = reading.statusInput.successRatio
      quantiles = (reading.stats.p50, reading.stats.p90, reading.stats.p95, reading.stats.p99)
      circuit = reading.circuit
      openReason = entry.pointee.health.breaker.reason
      nextProbeAt = entry.pointee.health.breaker.nextProbeAt(now: now)
      listedModels = entry.pointee.listedModels.isEmpty ? [] : entry.pointee.listedModelsInOrder
      rateLimits = entry.pointee.rateLimits.isEmpty ? [] : entry.pointee.sortedRateLimits
      tokens =
        entry.pointee.check.kind == .chat
        ? (entry.pointee.health.inputTokens, entry.pointee.health.outputTokens) : nil
      uptimes = (nil, nil, nil, nil)
    }

    /// Drops what the row holds of the entry's arrays once the scrape is written.
    func clearEntryData() {
      listedModels = []
      rateLimits = []
    }

    /// The uptime over the `index`th of `UptimeRange.allCases`.
    func uptime(_ index: Int) -> Double? {
      switch index {
      case 0: uptimes.0
      case 1: uptimes.1
      case 2: uptimes.2
      default: uptimes.3
      }
    }

    /// The window's latency at the `index`th of ``LatencySummary/quantiles``.
    func quantile(_ index: Int) -> Double? {
      switch index {
      case 0: quantiles.0
      case 1: quantiles.1
      case 2: quantiles.2
      default: quantiles.3
      }
    }
  }

  /// One provider of the scrape: its status and what its checks' history sums to.
  struct ProviderRow {
    var name: String
    var status: ProviderStatus
    /// Counted and succeeded probes of its checks over each of `UptimeRange.allCases`.
    var counted = SIMD4<UInt64>.zero
    var succeeded = SIMD4<UInt64>.zero
    var incidentOpen = false
  }

  /// Fills ``rows`` and ``providers`` from `fleet` at `now` (called under the health store's
  /// lock), in the order of ``FleetHealth/view(at:)``: each check's kept row updated, or a
  /// new one the first time a check is seen. Rows of checks a reload removed are dropped.
  mutating func fillRows(_ fleet: borrowing FleetHealth, at now: Timestamp) {
    // The last scrape's order is normally this one's: a check's row is found at its
    // position, and the dictionary is looked up (two strings hashed) only when it is not.
    swap(&rows, &previousRows)
    rows.removeAll(keepingCapacity: true)
    providers.removeAll(keepingCapacity: true)
    defer { previousRows.removeAll(keepingCapacity: true) }
    fleet.walk(at: now) { entry, reading in
      let position = rows.count
      let row: CheckRow
      if position < previousRows.count
        && previousRows[position].id.model == entry.pointee.check.model
        && previousRows[position].id.provider == entry.pointee.provider.name
      {
        row = previousRows[position]
        row.update(entry, reading, at: now)
      } else if let kept = checkRows[entry.pointee.id] {
        row = kept
        row.update(entry, reading, at: now)
      } else {
        row = CheckRow(entry, reading, at: now)
        checkRows[row.id] = row
      }
      row.provider = providers.count
      rows.append(row)
    } provider: { provider, status in
      providers.append(ProviderRow(name: provider.name, status: status))
    }
    if checkRows.count > rows.count {
      checkRows = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
  }

  static let checkLabelNames = ["provider", "model"]
}
