import AtalayaCore

extension StateDocument where Value == HealthSnapshot {
  /// `state.json`: windows, breakers and counters of every check.
  public static var health: Self {
    StateDocument(
      fileName: StateFileName.health, what: "health state", format: HealthSnapshot.format,
      version: HealthSnapshot.currentVersion
    ) { bytes, _ in try HealthSnapshot.decode(bytes) }
  }
}

extension StateDocument where Value == CostLedger {
  /// `cost.json`: the cost ledger, restored over a ledger built from `config`.
  public static func cost(config: AtalayaConfig) -> Self {
    StateDocument(
      fileName: StateFileName.cost, what: "cost ledger", format: CostLedger.snapshotFormat,
      version: CostLedger.snapshotVersion, legacyFormats: [CostLedger.legacySnapshotFormat]
    ) { _, json in
      var ledger = CostLedger(config: config)
      try ledger.restore(json)
      return ledger
    }
  }
}

extension StateDocument where Value == AlertEngine {
  /// `alerts.json`: the alert engine (files from before the format marker are read too).
  public static var alerts: Self {
    StateDocument(
      fileName: StateFileName.alerts, what: "alert state", format: AlertEngine.stateFormat,
      version: AlertEngine.stateVersion, acceptsUnmarked: true
    ) { bytes, _ in try AlertEngine.decode(json: bytes) }
  }
}

extension StateDocument where Value == HistorySnapshot {
  /// `history.json`: uptime buckets and the incident log.
  public static var history: Self {
    StateDocument(
      fileName: StateFileName.history, what: "history", format: HistorySnapshot.format,
      version: HistorySnapshot.currentVersion
    ) { bytes, _ in try HistorySnapshot.decode(bytes) }
  }
}

extension StateDocument where Value == SilenceBookLoad {
  /// `silences.json`: the silences made through the API.
  public static var silences: Self {
    StateDocument(
      fileName: StateFileName.silences, what: "silences", format: SilenceBook.stateFormat,
      version: SilenceBook.stateVersion
    ) { _, json in
      do throws(SilenceBook.Refusal) { return try SilenceBook.decodeState(json) } catch {
        throw StateFileError(error.message)
      }
    }
  }
}

/// The names of the state files in `state_dir`.
public enum StateFileName {
  public static let health = "state.json"
  public static let cost = "cost.json"
  public static let alerts = "alerts.json"
  public static let outbox = "outbox.json"
  public static let history = "history.json"
  public static let silences = "silences.json"
  /// Present while an agent runs; left behind by one that did not stop cleanly.
  public static let running = "running"
}
