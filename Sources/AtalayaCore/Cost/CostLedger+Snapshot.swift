/// The ledger's persistent form (`state_dir/cost.json`): cumulative totals,
/// unpriced tokens, account baselines, the last hour's spend and each budget's
/// spend in its period. Restoring replaces the ledger's state, so restoring the
/// same file twice counts nothing twice; the account baseline means a restart
/// does not count the key's usage again.
extension CostLedger {
  /// The file's `format` marker and `version`.
  public static let snapshotFormat = "atalaya-cost-ledger"
  public static let snapshotVersion = 1
  /// The marker of files written before `version` existed (same content).
  public static let legacySnapshotFormat = "atalaya-cost-ledger/1"

  /// The state as JSON (bucket slots are absolute, so they line up after a restart).
  public func snapshot(at now: Timestamp) -> JSONValue {
    func ring(_ r: SpendRing) -> JSONValue {
      .array(r.entries.map { .array([.number(Double($0.slot)), .number($0.usd)]) })
    }
    return .members([
      ("format", .string(Self.snapshotFormat)),
      ("version", .number(Double(Self.snapshotVersion))),
      ("saved_at", .number(now.seconds)),
      (
        "totals",
        .array(
          totals.sorted { $0.key < $1.key }.map { k, v in
            .members([
              ("provider", .string(k.provider)), ("model", .string(k.model)),
              ("source", .string(k.source.rawValue)), ("usd", .number(v)),
            ])
          })
      ),
      (
        "unpriced",
        .array(
          unpriced.sorted { $0.key < $1.key }.map { k, t in
            .members([
              ("provider", .string(k.provider)), ("model", .string(k.model)),
              ("input_tokens", .number(Double(t.input))),
              ("output_tokens", .number(Double(t.output))),
            ])
          })
      ),
      (
        "accounts",
        .array(
          accounts.sorted { $0.key < $1.key }.map { p, a in
            .members([
              ("provider", .string(p)), ("usage", .number(a.lastUsage)),
              ("at", .number(a.at.seconds)),
            ])
          })
      ),
      (
        "hourly",
        .array(
          hourly.sorted { $0.key < $1.key }.map { p, r in
            .members([("provider", .string(p)), ("buckets", ring(r))])
          })
      ),
      (
        "budgets",
        .array(
          budgets.compactMap { b -> JSONValue? in
            switch budgetSpend[b.name] {
            case .calendar(let start, let spent):
              return .members([
                ("name", .string(b.name)), ("period", .string(b.period.label)),
                ("period_start", .number(start)), ("spent", .number(spent)),
              ])
            case .rolling(let r):
              return .members([
                ("name", .string(b.name)), ("period", .string(b.period.label)),
                ("buckets", ring(r)),
              ])
            case nil: return nil
            }
          })
      ),
    ])
  }

  /// Why a snapshot could not be restored.
  public struct SnapshotError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) { self.description = description }
  }

  /// Replaces the recorded state with the snapshot's. Budgets are restored only
  /// when a budget of that name and period is still configured.
  public mutating func restore(_ json: JSONValue) throws(SnapshotError) {
    let format = json["format"]?.stringValue
    let version = json["version"]?.intValue
    guard
      format == Self.legacySnapshotFormat
        || (format == Self.snapshotFormat && version == Self.snapshotVersion)
    else {
      throw SnapshotError(description: "not an Atalaya cost ledger (format \(Self.snapshotFormat))")
    }
    func number(_ v: JSONValue?) -> Double? {
      guard let d = v?.doubleValue, d.isFinite else { return nil }
      return d
    }
    func entries(_ v: JSONValue?) -> [(slot: Int64, usd: Double)] {
      (v?.arrayValue ?? []).compactMap { pair in
        guard let s = number(pair[0]), let usd = number(pair[1]), abs(s) < 1e15, usd >= 0,
          usd < 1e15
        else { return nil }
        return (Int64(s), usd)
      }
    }
    var totals: [SpendKey: Double] = [:]
    var series: Set<ModelKey> = []
    for t in json["totals"]?.arrayValue ?? [] {
      guard let p = t["provider"]?.stringValue, let m = t["model"]?.stringValue,
        let s = t["source"]?.stringValue.flatMap(SpendSource.init(rawValue:)),
        let usd = number(t["usd"]), usd >= 0, usd < 1e15
      else { continue }  // one bad entry is dropped, not the ledger
      totals[SpendKey(provider: p, model: m, source: s)] = usd
      if s != .account { series.insert(ModelKey(provider: p, model: m)) }
    }
    var unpriced: [ModelKey: TokenCount] = [:]
    for u in json["unpriced"]?.arrayValue ?? [] {
      guard let p = u["provider"]?.stringValue, let m = u["model"]?.stringValue,
        let i = u["input_tokens"]?.intValue, let o = u["output_tokens"]?.intValue,
        (0..<(1 << 60)).contains(i), (0..<(1 << 60)).contains(o)
      else { continue }
      unpriced[ModelKey(provider: p, model: m)] = TokenCount(input: i, output: o)
      series.insert(ModelKey(provider: p, model: m))
    }
    var accounts: [String: AccountState] = [:]
    for a in json["accounts"]?.arrayValue ?? [] {
      guard let p = a["provider"]?.stringValue, let usage = number(a["usage"]),
        let at = number(a["at"]), abs(usage) < 1e15, abs(at) < 1e12
      else { continue }
      accounts[p] = AccountState(lastUsage: usage, at: Timestamp(seconds: at), info: nil)
    }
    var hourly: [String: SpendRing] = [:]
    for h in json["hourly"]?.arrayValue ?? [] {
      guard let p = h["provider"]?.stringValue else { continue }
      var ring = SpendRing(span: .seconds(3600))
      ring.restore(entries(h["buckets"]))
      hourly[p] = ring
    }
    var budgetSpend: [String: BudgetSpend] = [:]
    for b in json["budgets"]?.arrayValue ?? [] {
      guard let name = b["name"]?.stringValue, let period = b["period"]?.stringValue,
        let config = budgets.first(where: { $0.name == name }), config.period.label == period
      else { continue }
      if case .rolling(let length) = config.period {
        var ring = SpendRing(span: length)
        ring.restore(entries(b["buckets"]))
        budgetSpend[name] = .rolling(ring)
      } else if let start = number(b["period_start"]), let spent = number(b["spent"]),
        abs(start) < 1e12, spent >= 0, spent < 1e15
      {
        budgetSpend[name] = .calendar(start: start, spent: spent)
      }
    }
    self.totals = totals
    self.unpriced = unpriced
    self.accounts = accounts
    self.hourly = hourly
    self.budgetSpend = budgetSpend
    self.series = series
  }
}
