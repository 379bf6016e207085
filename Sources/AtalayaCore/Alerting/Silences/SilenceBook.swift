/// The silences made through the API (``SilenceRecord``): added, updated, expired and
/// dropped a day after they expire. A pure value on injected time; the agent keeps it
/// behind a lock and writes it to `silences.json` after every change.
public struct SilenceBook: Sendable, Equatable {
  /// Why a change was refused.
  public enum Refusal: Error, Sendable, Equatable {
    /// The request is malformed (HTTP 400).
    case invalid(String)
    /// No silence has that id (HTTP 404).
    case notFound(String)
    /// The book holds ``SilenceBook/capacity`` silences (HTTP 400).
    case full(Int)

    public var message: String {
      switch self {
      case .invalid(let m): m
      case .notFound(let id): "no silence with id \(id)"
      case .full(let n): "at most \(n) silences can exist; expire some first"
      }
    }

    public var status: Int {
      switch self {
      case .invalid, .full: 400
      case .notFound: 404
      }
    }
  }

  /// How long an expired silence stays listed before it is dropped.
  public static let retention: Duration = .seconds(24 * 3600)
  /// The most pending and active silences at once (expired ones are kept besides, up to
  /// as many again; the oldest go first).
  public static let capacity = 1000

  /// Every silence, in the order they were created.
  public private(set) var records: [SilenceRecord]

  public init(records: [SilenceRecord] = []) { self.records = records }

  /// The record with `id`.
  public func record(id: String) -> SilenceRecord? { records.first { $0.id == id } }

  /// Adds the silence `request` describes, or updates the unexpired one it names by
  /// `id`, as Alertmanager does: a pending silence is replaced in place (keeping its start
  /// unless a new one is given); an active one keeps its id and start when its matchers
  /// are unchanged, and is otherwise expired and replaced by a new silence (so what it
  /// muted stays on record); an expired one is replaced by a new silence. Returns the id.
  public mutating func upsert(
    _ request: SilenceRequest, at now: Timestamp, newID: () -> String
  ) throws(Refusal) -> String {
    var existing: Int?
    if let id = request.id {
      guard let index = records.firstIndex(where: { $0.id == id }) else { throw .notFound(id) }
      if records[index].state(at: now) != .expired { existing = index }
    }
    let kept = existing.map { records[$0] }
    let now = Self.saved(now)
    let startsAt = Self.saved(max(request.startsAt ?? kept?.startsAt ?? now, now))
    let endsAt: Timestamp
    switch request.end {
    case .at(let t): endsAt = Self.saved(t)
    case .after(let d): endsAt = Self.saved(startsAt + d)
    }
    guard endsAt > startsAt else {
      throw .invalid(
        "endsAt (\(RFC3339.format(endsAt))) must be after startsAt (\(RFC3339.format(startsAt)))")
    }
    guard endsAt > now else {
      throw .invalid("endsAt (\(RFC3339.format(endsAt))) is in the past")
    }
    guard endsAt - startsAt <= Self.maxDuration else {
      throw .invalid("a silence lasts at most \(formatDuration(Self.maxDuration))")
    }
    var record = SilenceRecord(
      id: "", matchers: request.matchers, startsAt: startsAt, endsAt: endsAt,
      createdBy: request.createdBy, comment: request.comment, updatedAt: now)
    if let index = existing, let old = kept {
      if old.state(at: now) == .pending || old.matchers == request.matchers {
        // An active silence keeps its start: moving it would unmute what it muted.
        if old.state(at: now) == .active { record.startsAt = old.startsAt }
        record.id = old.id
        records[index] = record
        return old.id
      }
      records[index].endsAt = now
      records[index].updatedAt = now
    }
    guard records.count(where: { $0.state(at: now) != .expired }) < Self.capacity else {
      throw .full(Self.capacity)
    }
    if records.count >= 2 * Self.capacity,
      let oldest = records.firstIndex(where: { $0.state(at: now) == .expired })
    {
      records.remove(at: oldest)
    }
    record.id = newID()
    records.append(record)
    return record.id
  }

  /// Ends the silence `id` now (Alertmanager's DELETE). Expiring an expired silence
  /// changes nothing.
  public mutating func expire(id: String, at now: Timestamp) throws(Refusal) {
    let now = Self.saved(now)
    guard let index = records.firstIndex(where: { $0.id == id }) else { throw .notFound(id) }
    switch records[index].state(at: now) {
    case .expired: return
    case .pending:
      records[index].startsAt = now
      records[index].endsAt = now
    case .active:
      records[index].endsAt = now
    }
    records[index].updatedAt = now
  }

  /// `t` as `silences.json` keeps it (RFC 3339 to the millisecond), so a silence reads
  /// back from the file exactly as it was made.
  static func saved(_ t: Timestamp) -> Timestamp {
    RFC3339.parse(RFC3339.format(t)) ?? t
  }

  /// Whether ``prune(at:)`` would drop anything.
  public func hasPrunable(at now: Timestamp) -> Bool {
    records.contains { now - $0.endsAt >= Self.retention }
  }

  /// Drops the silences expired for longer than ``retention``; true when any was.
  @discardableResult
  public mutating func prune(at now: Timestamp) -> Bool {
    let before = records.count
    records.removeAll { now - $0.endsAt >= Self.retention }
    return records.count != before
  }

  /// The silences in force or still to come, as the engine applies them.
  public func silences(at now: Timestamp) -> [Silence] {
    records.filter { $0.state(at: now) != .expired }.map(\.silence)
  }

  /// How many silences are in each state.
  public func counts(at now: Timestamp) -> [SilenceRecord.State: Int] {
    var result: [SilenceRecord.State: Int] = [:]
    for state in SilenceRecord.State.allCases { result[state] = 0 }
    for r in records { result[r.state(at: now), default: 0] += 1 }
    return result
  }
}

/// What a POST to the silences API asks for.
public struct SilenceRequest: Sendable, Equatable {
  /// When the silence ends: a time, or a span after its start.
  public enum End: Sendable, Equatable {
    case at(Timestamp)
    case after(Duration)
  }

  /// Set to update an existing silence.
  public var id: String?
  public var matchers: [LabelMatcher]
  /// Nil: now.
  public var startsAt: Timestamp?
  public var end: End
  public var createdBy: String
  public var comment: String

  public init(
    id: String? = nil, matchers: [LabelMatcher], startsAt: Timestamp? = nil, end: End,
    createdBy: String, comment: String
  ) {
    self.id = id
    self.matchers = matchers
    self.startsAt = startsAt
    self.end = end
    self.createdBy = createdBy
    self.comment = comment
  }
}
