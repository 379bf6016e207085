/// The types of the live event stream (`GET /api/v1/events`); raw values are the SSE
/// `event:` names.
public enum AgentEventType: String, CaseIterable, Sendable {
  case providerDown = "provider_down"
  case providerDegraded = "provider_degraded"
  case providerRecovered = "provider_recovered"
  case circuit
  case alertFiring = "alert_firing"
  case alertResolved = "alert_resolved"
  case routeChoice = "route_choice"
  case incidentOpened = "incident_opened"
  case incidentResolved = "incident_resolved"
  case budgetThreshold = "budget_threshold"
  case configReloaded = "config_reloaded"
  /// Sent first when the requested `Last-Event-ID` is older than the ring (events were missed).
  case reset
}

/// One event of the stream.
public struct AgentEvent: Sendable, Equatable {
  public var id: UInt64
  public var type: AgentEventType
  public var data: JSONValue
  public var at: Timestamp

  public init(id: UInt64, type: AgentEventType, data: JSONValue, at: Timestamp) {
    self.id = id
    self.type = type
    self.data = data
    self.at = at
  }

  /// The SSE frame: `id:`, `event:`, one `data:` line of JSON (with `at`), a blank line.
  public var frame: [UInt8] {
    var members: [(String, JSONValue)] = [("at", .string(RFC3339.format(at)))]
    if case .object(let fields) = data { members += fields.map { ($0.key, $0.value) } }
    return Array(
      "id: \(id)\nevent: \(type.rawValue)\ndata: \(JSONValue.members(members).encoded)\n\n".utf8)
  }
}

/// The last ``capacity`` events, for `Last-Event-ID` resumption. Ids increase by one per
/// event and start at the agent's start time in milliseconds, so they keep increasing
/// across restarts.
public struct EventRing: Sendable {
  public static let defaultCapacity = 1024

  public let capacity: Int
  private var events: [AgentEvent] = []
  private var head = 0
  public private(set) var nextID: UInt64

  public init(capacity: Int = EventRing.defaultCapacity, firstID: UInt64) {
    self.capacity = max(1, capacity)
    nextID = max(1, firstID)
  }

  /// Appends an event; returns it with its id.
  @discardableResult
  public mutating func append(_ type: AgentEventType, _ data: JSONValue, at: Timestamp)
    -> AgentEvent
  {
    let e = AgentEvent(id: nextID, type: type, data: data, at: at)
    nextID &+= 1
    if events.count < capacity {
      events.append(e)
    } else {
      events[head] = e
      head = (head + 1) % capacity
    }
    return e
  }

  /// The retained events, oldest first.
  public var all: [AgentEvent] { Array(events[head...] + events[..<head]) }

  /// The events after `lastID`, and whether some were missed (the id is older than the
  /// ring, or unknown: from before a restart whose ids went past it).
  public func after(_ lastID: UInt64) -> (events: [AgentEvent], missed: Bool) {
    let retained = all
    guard let oldest = retained.first else { return ([], lastID >= nextID) }
    if lastID >= nextID { return (retained, true) }
    let missed = lastID &+ 1 < oldest.id
    return (retained.filter { $0.id > lastID }, missed)
  }
}
