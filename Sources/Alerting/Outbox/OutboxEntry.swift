import AtalayaCore

/// One notification owed to its receiver, with its delivery history.
public struct OutboxEntry: Sendable, Equatable {
  public var notification: AlertNotification
  /// Attempts made so far (failed ones: a delivered entry leaves the outbox).
  public var attempts: Int
  /// Not before this time.
  public var nextAttemptAt: Timestamp
  /// When it entered the outbox (delivery latency and max age count from here).
  public var firstQueuedAt: Timestamp
  /// Why the last attempt failed (redacted), for logs and the API.
  public var lastError: String?

  public init(
    notification: AlertNotification, attempts: Int = 0, nextAttemptAt: Timestamp,
    firstQueuedAt: Timestamp, lastError: String? = nil
  ) {
    self.notification = notification
    self.attempts = attempts
    self.nextAttemptAt = nextAttemptAt
    self.firstQueuedAt = firstQueuedAt
    self.lastError = lastError
  }

  public var id: String { notification.id }
  public var receiver: String { notification.receiver }
}

extension OutboxEntry {
  /// The entry as JSON for the outbox file.
  public var json: JSONValue {
    .members([
      ("notification", notification.json),
      ("attempts", .number(Double(attempts))),
      ("nextAttemptAt", .number(nextAttemptAt.seconds)),
      ("firstQueuedAt", .number(firstQueuedAt.seconds)),
      ("lastError", .string(lastError)),
    ])
  }

  /// Reads what ``json`` wrote.
  public init(json: JSONValue) throws(OutboxFormatError) {
    guard let notification = json["notification"] else {
      throw OutboxFormatError("notification is missing")
    }
    guard let attempts = json["attempts"]?.intValue, attempts >= 0 else {
      throw OutboxFormatError("attempts is not a count")
    }
    self.init(
      notification: try AlertNotification(json: notification), attempts: attempts,
      nextAttemptAt: Timestamp(seconds: try JSONReading.number(json, "nextAttemptAt")),
      firstQueuedAt: Timestamp(seconds: try JSONReading.number(json, "firstQueuedAt")),
      lastError: json["lastError"]?.stringValue)
  }
}
