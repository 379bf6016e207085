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
  /// The most silences (of every state) the book holds.
  public static let capacity = 1000

  /// Every silence, in the order they were created.
  public private(set) var records: [SilenceRecord]

  public init(records: [SilenceRecord] = []) { self.records = records }

  /// The record with `id`.
  public func record(id: String) -> SilenceRecord? { records.first { $0.id == id } }

  /// Adds the silence `request` describes, or replaces the unexpired one it names by
  /// `id` (an expired one is replaced by a new silence, as Alertmanager does). Returns
  /// the silence's id.
  public mutating func upsert(
    _ request: SilenceRequest, at now: Timestamp, newID: () -> String
  ) throws(Refusal) -> String {
    let startsAt = max(request.startsAt ?? now, now)
    let endsAt: Timestamp
    switch request.end {
    case .at(let t): endsAt = t
    case .after(let d): endsAt = startsAt + d
    }
    guard endsAt > startsAt else {
      throw .invalid(
        "endsAt (\(RFC3339.format(endsAt))) must be after startsAt (\(RFC3339.format(startsAt)))")
    }
    guard endsAt > now else {
      throw .invalid("endsAt (\(RFC3339.format(endsAt))) is in the past")
    }
    var record = SilenceRecord(
      id: "", matchers: request.matchers, startsAt: startsAt, endsAt: endsAt,
      createdBy: request.createdBy, comment: request.comment, updatedAt: now)
    if let id = request.id {
      guard let index = records.firstIndex(where: { $0.id == id }) else { throw .notFound(id) }
      if records[index].state(at: now) != .expired {
        // An active silence keeps its start: moving it would unmute what it muted.
        if records[index].state(at: now) == .active { record.startsAt = records[index].startsAt }
        record.id = id
        records[index] = record
        return id
      }
    }
    guard records.count < Self.capacity else { throw .full(Self.capacity) }
    record.id = newID()
    records.append(record)
    return record.id
  }

  /// Ends the silence `id` now (Alertmanager's DELETE). Expiring an expired silence
  /// changes nothing.
  public mutating func expire(id: String, at now: Timestamp) throws(Refusal) {
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

  /// Puts a record back as it was (a change whose write failed is undone).
  public mutating func restore(_ record: SilenceRecord?, id: String) {
    let index = records.firstIndex { $0.id == id }
    switch (record, index) {
    case (let r?, let i?): records[i] = r
    case (let r?, nil): records.append(r)
    case (nil, let i?): records.remove(at: i)
    case (nil, nil): break
    }
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
