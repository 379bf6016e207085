import AtalayaCore

/// The notifications owed to receivers, in the order they were enqueued
/// (order per receiver is what delivery preserves), de-duplicated by id.
///
/// A pure value: the ``Deliverer`` holds it behind a lock and persists its
/// ``encode()`` form after every change.
public struct Outbox: Sendable, Equatable {
  /// The file format marker that tells an outbox from foreign JSON.
  public static let format = "atalaya-outbox"
  /// The only version this build reads and writes.
  public static let currentVersion = 1
  /// How many delivered or dropped ids are remembered for de-duplication.
  public static let rememberedIDs = 1024

  /// Owed entries, oldest first.
  public private(set) var entries: [OutboxEntry] = []
  /// Ids that already left the outbox (delivered or dropped), newest last.
  public private(set) var finishedIDs: [String] = []

  public init() {}

  /// Adds `notification` (due now) unless its id is queued or already finished.
  /// Returns whether it was added.
  @discardableResult
  public mutating func enqueue(_ notification: AlertNotification, now: Timestamp) -> Bool {
    guard !contains(notification.id) else { return false }
    entries.append(OutboxEntry(notification: notification, nextAttemptAt: now, firstQueuedAt: now))
    return true
  }

  /// Whether `id` is owed or was finished recently.
  public func contains(_ id: String) -> Bool {
    entries.contains { $0.id == id } || finishedIDs.contains(id)
  }

  /// The oldest entry of `receiver`: the only one that may be attempted.
  public func head(of receiver: String) -> OutboxEntry? {
    entries.first { $0.receiver == receiver }
  }

  /// How many entries `receiver` is owed.
  public func count(of receiver: String) -> Int {
    entries.reduce(0) { $0 + ($1.receiver == receiver ? 1 : 0) }
  }

  /// Every receiver with owed entries, in first-owed order.
  public var receivers: [String] {
    var seen: [String] = []
    for entry in entries where !seen.contains(entry.receiver) { seen.append(entry.receiver) }
    return seen
  }

  /// Replaces the entry with the same id (after a failed attempt).
  public mutating func update(_ entry: OutboxEntry) {
    guard let i = entries.firstIndex(where: { $0.id == entry.id }) else { return }
    entries[i] = entry
  }

  /// Removes the entry `id` without remembering it (its queueing was never made
  /// durable, so it may be queued again).
  public mutating func discard(_ id: String) {
    entries.removeAll { $0.id == id }
  }

  /// Removes the entry `id` (delivered or dropped) and remembers its id.
  @discardableResult
  public mutating func finish(_ id: String) -> OutboxEntry? {
    guard let i = entries.firstIndex(where: { $0.id == id }) else { return nil }
    finishedIDs.append(id)
    if finishedIDs.count > Self.rememberedIDs {
      finishedIDs.removeFirst(finishedIDs.count - Self.rememberedIDs)
    }
    return entries.remove(at: i)
  }
}

extension Outbox {
  /// The file content: `{"format": "atalaya-outbox", "version": 1, "entries": [...],
  /// "finishedIDs": [...]}`.
  public func encode() -> [UInt8] {
    JSONValue.members([
      ("format", .string(Self.format)),
      ("version", .number(Double(Self.currentVersion))),
      ("entries", .array(entries.map(\.json))),
      ("finishedIDs", .array(finishedIDs.map { .string($0) })),
    ]).prettyEncoded.utf8.map { $0 }
  }

  /// Parses what ``encode()`` wrote. Anything else (not JSON, foreign JSON, another
  /// version, a malformed entry) throws with the reason; never traps.
  public static func decode(_ bytes: [UInt8]) throws(OutboxFormatError) -> Outbox {
    guard let json = JSONValue.parse(bytes) else { throw OutboxFormatError("not valid JSON") }
    guard json["format"]?.stringValue == format else {
      throw OutboxFormatError("no \"format\": \"\(format)\" marker")
    }
    guard let version = json["version"]?.intValue, version == currentVersion else {
      throw OutboxFormatError("unsupported version (this build reads \(currentVersion))")
    }
    var outbox = Outbox()
    for (i, item) in try JSONReading.array(json, "entries").enumerated() {
      let entry: OutboxEntry
      do throws(OutboxFormatError) { entry = try OutboxEntry(json: item) } catch {
        throw OutboxFormatError("entries[\(i)]: \(error.description)")
      }
      if !outbox.contains(entry.id) { outbox.entries.append(entry) }
    }
    for item in json["finishedIDs"]?.arrayValue ?? [] {
      if let id = item.stringValue { outbox.finishedIDs.append(id) }
    }
    return outbox
  }
}
