/// A silence created through the silences API, in Alertmanager's v2 shape: matchers,
/// a time span, who created it and why.
public struct SilenceRecord: Sendable, Equatable {
  /// Where a silence is in its life, as Alertmanager reports it.
  public enum State: String, Sendable, Equatable, CaseIterable {
    case pending
    case active
    case expired
  }

  public var id: String
  public var matchers: [LabelMatcher]
  public var startsAt: Timestamp
  public var endsAt: Timestamp
  public var createdBy: String
  public var comment: String
  public var updatedAt: Timestamp

  public init(
    id: String, matchers: [LabelMatcher], startsAt: Timestamp, endsAt: Timestamp,
    createdBy: String, comment: String, updatedAt: Timestamp
  ) {
    self.id = id
    self.matchers = matchers
    self.startsAt = startsAt
    self.endsAt = endsAt
    self.createdBy = createdBy
    self.comment = comment
    self.updatedAt = updatedAt
  }

  /// Pending before `startsAt`, active until `endsAt`, expired from then on.
  public func state(at now: Timestamp) -> State {
    if now >= endsAt { return .expired }
    return now < startsAt ? .pending : .active
  }

  /// The silence as the alert engine and the routes apply it.
  public var silence: Silence {
    Silence(
      matchers: [:], labelMatchers: matchers, starts: startsAt, ends: endsAt, comment: comment,
      id: id)
  }
}
