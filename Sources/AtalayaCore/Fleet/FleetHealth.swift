/// The health of every configured check, and the decisions made from it.
///
/// A pure value: the agent holds one behind a lock, feeds it probe outcomes
/// and reads ``FleetView``s from it for /metrics, the status API and systemd.
/// Applying a new config keeps the history of every check that still exists.
public struct FleetHealth: Sendable {
  /// One check's settings and state.
  public struct Entry: Sendable {
    public var provider: ProviderConfig
    public var check: CheckConfig
    public var health: CheckHealth
    /// The last reading per rate-limit resource (kept across responses that carry none).
    public var rateLimits: [RateLimitResource: RateLimitReading]
    /// The most recent failed outcome (kept after later successes).
    public var lastError: ProbeOutcome?
    /// For a models check with `expect`: whether each expected model was in the last list
    /// read (kept while later probes fail).
    public var listedModels: [String: Bool] = [:]
    /// Window stats kept by ``FleetHealth/cacheStats(at:)``, valid for one window revision
    /// within one bucket.
    var cachedStats: CachedStats?

    public var id: CheckID { check.id(provider: provider.name) }
  }

  public private(set) var config: AtalayaConfig
  /// Every check's entry, in config order (an array sized to the checks: an entry is large,
  /// and a dictionary of them kept up to twice as many slots).
  public private(set) var table: [Entry]
  /// Where each check's entry is in ``table``.
  private var index: [CheckID: Int]
  public var policy: HealthPolicy
  /// The bucket every check's cached stats were last brought up to (nil: none or unknown).
  private var statsSlot: Int64?

  public init(config: AtalayaConfig, policy: HealthPolicy = HealthPolicy()) {
    self.config = config
    self.table = []
    self.index = [:]
    self.policy = policy
    apply(config)
  }

  /// Switches to `config`: checks that still exist keep their windows,
  /// breakers and counters; new checks start empty; removed ones are dropped.
  public mutating func apply(_ config: AtalayaConfig) {
    let all = config.allChecks
    var next: [Entry] = []
    next.reserveCapacity(all.count)
    var nextIndex: [CheckID: Int] = [:]
    nextIndex.reserveCapacity(all.count)
    for (provider, check) in all {
      let id = check.id(provider: provider.name)
      guard nextIndex[id] == nil else { continue }  // validation rejects duplicates anyway
      nextIndex[id] = next.count
      if let i = index[id] {
        var old = table[i]
        old.provider = provider
        old.check = check
        old.health.reconfigure(windowLength: config.window, breaker: config.breaker(for: check))
        old.listedModels = old.listedModels.filter { check.expectedModels.contains($0.key) }
        old.cachedStats = nil
        old.health.window.expectLatencies(every: check.interval)
        next.append(old)
      } else {
        var health = CheckHealth(
          windowLength: config.window, breaker: config.breaker(for: check))
        health.window.expectLatencies(every: check.interval)
        next.append(
          Entry(
            provider: provider, check: check, health: health, rateLimits: [:], lastError: nil))
      }
    }
    self.config = config
    self.table = next
    self.index = nextIndex
    statsSlot = nil
  }

  /// The entry of check `id`, if it is configured.
  public func entry(_ id: CheckID) -> Entry? {
    index[id].map { table[$0] }
  }

  /// Whether the check's circuit lets a probe through now.
  public func allowsProbe(_ id: CheckID, at now: Timestamp) -> Bool {
    index[id].map { table[$0].health.breaker.allowsProbe(at: now) } ?? false
  }

  /// Records a probe outcome; returns the circuit transition it caused, if any.
  @discardableResult
  public mutating func record(_ outcome: ProbeOutcome) -> CircuitBreaker.Transition? {
    // Changed in place: a copy would share the window's buckets with the stored entry, and
    // the first write would copy them all, at every probe.
    guard let i = index[outcome.check] else { return nil }
    return table[i].record(outcome, config: config)
  }

  /// The STATUS= line at `now` (``FleetView/statusLine()`` of ``view(at:)``), read in place:
  /// the probe path refreshes it every two seconds, and a view copies every check.
  public func statusLine(at now: Timestamp) -> String {
    var (healthy, total, down, degraded) = (0, 0, 0, 0)
    walk(
      at: now,
      check: { _, reading in
        total += 1
        if reading.statusInput.isHealthy(policy: policy) { healthy += 1 }
      },
      provider: { _, status in
        if status == .down { down += 1 }
        if status == .degraded { degraded += 1 }
      })
    return FleetView.statusLine(healthy: healthy, checks: total, down: down, degraded: degraded)
  }

  /// Everything the outputs need, computed once at `now`.
  public func view(at now: Timestamp) -> FleetView {
    var providers: [ProviderView] = []
    providers.reserveCapacity(config.providers.count)
    var checks: [CheckView] = []
    walk(at: now) { pointer, reading in
      let entry = pointer.pointee
      checks.append(
        CheckView(
          id: entry.id, provider: entry.provider, check: entry.check, health: entry.health,
          stats: reading.stats, circuit: reading.circuit, rateLimits: entry.sortedRateLimits,
          lastError: entry.lastError, listedModels: entry.listedModelsInOrder,
          statusInput: reading.statusInput, policy: policy))
    } provider: { provider, status in
      providers.append(ProviderView(config: provider, status: status, checks: checks))
      checks = []
    }
    return FleetView(at: now, window: config.window, policy: policy, providers: providers)
  }

  /// Walks the fleet as ``view(at:)`` lays it out without building it: providers in config
  /// order, `check` called for each of a provider's checks with its entry (read in place
  /// through the pointer, valid during the call only) and its reading at `now`, then
  /// `provider` with the status decided from them. /metrics fills
  /// its rows this way: a view copies every check's state (a ``CheckView`` per check, each
  /// retaining dozens of references) only to read a few numbers from it.
  public func walk(
    at now: Timestamp, check: (UnsafePointer<Entry>, CheckReading) -> Void,
    provider: (ProviderConfig, ProviderStatus) -> Void
  ) {
    var inputs: [CheckStatusInput] = []
    // The table is in config order: the next entry is normally the check's own, and the
    // index is looked up (two strings hashed) only when it is not.
    var next = 0
    table.withUnsafeBufferPointer { table in
      for p in config.providers {
        inputs.removeAll(keepingCapacity: true)
        for c in p.checks {
          let i: Int
          if next < table.count && table[next].check.model == c.model
            && table[next].provider.name == p.name
          {
            i = next
          } else if let found = index[c.id(provider: p.name)] {
            i = found
          } else {
            continue
          }
          next = i + 1
          // Through a pointer: handing the element itself to `check` copied it (1.6 KB and
          // a retain per reference it holds), however the parameter was declared.
          let entry = table.baseAddress! + i
          let reading = Entry.reading(of: entry, at: now)
          inputs.append(reading.statusInput)
          check(entry, reading)
        }
        provider(p, ProviderStatus.evaluate(checks: inputs, policy: policy))
      }
    }
  }
  /// The persistent part: windows, breakers and counters of every check.
  public func snapshot(at now: Timestamp) -> HealthSnapshot {
    HealthSnapshot(
      savedAt: now,
      checks: Dictionary(table.map { ($0.id, $0.health) }, uniquingKeysWith: { first, _ in first }))
  }

  /// Restores saved state for the checks that exist in the current config.
  /// Returns how many checks were restored.
  @discardableResult
  public mutating func restore(_ snapshot: HealthSnapshot) -> Int {
    var restored = 0
    for (id, saved) in snapshot.checks {
      guard let i = index[id] else { continue }
      table[i].health = saved
      table[i].health.reconfigure(
        windowLength: config.window, breaker: config.breaker(for: table[i].check))
      table[i].cachedStats = nil
      restored += 1
    }
    statsSlot = nil
    return restored
  }

  /// Computes each check's window stats at `now` and keeps them, so views built until the
  /// check's next record or the window's next bucket reuse them instead of merging every
  /// bucket's sketch again (a scrape, the status API and rule evaluation all build views).
  public mutating func cacheStats(at now: Timestamp, changed id: CheckID? = nil) {
    // Within one bucket only the check just recorded can have stale stats; a new bucket
    // (or a reload, a restore) makes every check's stale.
    if let id, let i = index[id], let slot = table[i].health.window.slot(for: now),
      slot == statsSlot
    {
      table[i].refreshStats(at: now)
      return
    }
    for i in table.indices {
      table[i].refreshStats(at: now)
    }
    statsSlot = table.first?.health.window.slot(for: now)
  }

}

/// A read-only picture of the whole fleet at one instant.
public struct FleetView: Sendable {
  public var at: Timestamp
  /// The rolling window the stats cover.
  public var window: Duration
  /// The policy provider status was decided with; the status line uses it too.
  public var policy: HealthPolicy
  public var providers: [ProviderView]

  public init(
    at: Timestamp, window: Duration, policy: HealthPolicy = HealthPolicy(),
    providers: [ProviderView]
  ) {
    self.at = at
    self.window = window
    self.policy = policy
    self.providers = providers
  }

  /// The worst provider status (healthy when there are no providers).
  public var overall: ProviderStatus {
    if providers.contains(where: { $0.status == .down }) { return .down }
    if providers.contains(where: { $0.status == .degraded }) { return .degraded }
    return .healthy
  }

  /// Every check, provider by provider: a view over the providers' arrays, not a copy (a
  /// scrape walks it several times, and 200 checks' views copied into one array were a
  /// transient half megabyte each time).
  public var checks: FlattenSequence<LazyMapSequence<[ProviderView], [CheckView]>> {
    providers.lazy.map(\.checks).joined()
  }

  /// A one-line summary for systemd's STATUS=, e.g. "5/6 checks healthy, 1 provider degraded".
  /// Check health is judged by the same ``policy`` as provider status.
  public func statusLine() -> String {
    var healthy = 0
    var total = 0
    for check in checks {
      total += 1
      if check.isHealthy { healthy += 1 }
    }
    return Self.statusLine(
      healthy: healthy, checks: total, down: providers.filter { $0.status == .down }.count,
      degraded: providers.filter { $0.status == .degraded }.count)
  }

  /// The status line's words for these counts.
  static func statusLine(healthy: Int, checks total: Int, down: Int, degraded: Int) -> String {
    var parts = ["\(healthy)/\(total) checks healthy"]
    if down > 0 { parts.append("\(down) provider\(down == 1 ? "" : "s") down") }
    if degraded > 0 { parts.append("\(degraded) provider\(degraded == 1 ? "" : "s") degraded") }
    return parts.joined(separator: ", ")
  }
}

/// One provider in a ``FleetView``.
public struct ProviderView: Sendable {
  public var config: ProviderConfig
  public var status: ProviderStatus
  public var checks: [CheckView]

  public var name: String { config.name }
}

/// One check in a ``FleetView``.
public struct CheckView: Sendable {
  public var id: CheckID
  public var provider: ProviderConfig
  public var check: CheckConfig
  public var health: CheckHealth
  public var stats: WindowStats
  public var circuit: CircuitState
  public var rateLimits: [RateLimitReading]
  public var lastError: ProbeOutcome?
  /// A models check's expected models, in config order, with whether the last list read
  /// had them (only those read at least once).
  public var listedModels: [(model: String, listed: Bool)]
  public var statusInput: CheckStatusInput
  /// The fleet's policy (``FleetHealth/policy``): one rule for status, the status line
  /// and the API's `healthy`.
  public var policy = HealthPolicy()

  public var isHealthy: Bool { statusInput.isHealthy(policy: policy) }
}

/// What is read of one check at an instant, beside its entry: its window stats, circuit
/// state and the inputs of the status rule (see ``FleetHealth/walk(at:check:provider:)``).
public struct CheckReading: Sendable {
  public var stats: WindowStats
  public var circuit: CircuitState
  public var statusInput: CheckStatusInput
}

/// Window stats computed at one window revision and bucket.
struct CachedStats: Sendable {
  struct Key: Equatable {
    var revision: UInt64
    var slot: Int64
    var countRateLimited: Bool
  }
  var key: Key
  var stats: WindowStats
}

extension FleetHealth.Entry {
  /// Records `outcome` (see ``FleetHealth/record(_:)``).
  mutating func record(_ outcome: ProbeOutcome, config: AtalayaConfig)
    -> CircuitBreaker.Transition?
  {
    let transition = health.record(
      outcome, countRateLimited: provider.countRateLimited, breaker: config.breaker(for: check))
    if !outcome.result.isSuccess { lastError = outcome }
    if outcome.result.isSuccess, let missing = outcome.missingModels {
      let gone = Set(missing)
      listedModels = Dictionary(
        uniqueKeysWithValues: check.expectedModels.map { ($0, !gone.contains($0)) })
    }
    for reading in outcome.rateLimits {
      rateLimits[reading.resource] = reading
    }
    return transition
  }

  /// The window stats (cached when still valid), circuit state and status inputs at `now`
  /// of the entry at `entry`, read field by field in place (calling a method on the entry
  /// copied it first).
  static func reading(of entry: UnsafePointer<Self>, at now: Timestamp) -> CheckReading {
    var stats: WindowStats?
    if let cached = entry.pointee.cachedStats,
      let slot = entry.pointee.health.window.slot(for: now),
      cached.key
        == CachedStats.Key(
          revision: entry.pointee.health.window.revision, slot: slot,
          countRateLimited: entry.pointee.provider.countRateLimited)
    {
      stats = cached.stats
    }
    let windowStats =
      stats
      ?? entry.pointee.health.window.stats(
        at: now, countRateLimited: entry.pointee.provider.countRateLimited)
    let state = entry.pointee.health.breaker.state(at: now)
    return CheckReading(
      stats: windowStats, circuit: state,
      statusInput: CheckStatusInput(
        circuit: state, successRatio: windowStats.successRatio, p95: windowStats.p95,
        slow: entry.pointee.check.slow))
  }

  /// The last reading per rate-limit resource, by resource name.
  public var sortedRateLimits: [RateLimitReading] {
    rateLimits.isEmpty
      ? [] : rateLimits.values.sorted { $0.resource.rawValue < $1.resource.rawValue }
  }

  /// A models check's expected models in config order, with whether the last list read had
  /// them (only those read at least once).
  public var listedModelsInOrder: [(model: String, listed: Bool)] {
    listedModels.isEmpty
      ? [] : check.expectedModels.compactMap { model in listedModels[model].map { (model, $0) } }
  }

  /// Brings the cached window stats up to `now` when they are stale.
  mutating func refreshStats(at now: Timestamp) {
    guard validStats(at: now) == nil, let key = statsKey(at: now) else { return }
    cachedStats = CachedStats(
      key: key, stats: health.window.stats(at: now, countRateLimited: provider.countRateLimited))
  }

  /// What the window stats at `now` depend on; nil when `now` has no bucket.
  func statsKey(at now: Timestamp) -> CachedStats.Key? {
    let window = health.window
    guard let slot = window.slot(for: now) else { return nil }
    return CachedStats.Key(
      revision: window.revision, slot: slot, countRateLimited: provider.countRateLimited)
  }

  /// The cached stats when they are still those at `now`.
  func validStats(at now: Timestamp) -> WindowStats? {
    guard let cached = cachedStats, cached.key == statsKey(at: now) else { return nil }
    return cached.stats
  }
}
