import AtalayaCore

/// The maintenance windows as the status API and the status page show them.
enum MaintenanceReport {
  /// One window: its schedule, whether it is in force, and its current or next span.
  static func json(_ w: MaintenanceWindow, at now: Timestamp) -> JSONValue {
    let current = w.occurrence(at: now)
    let next = current == nil ? w.nextStart(after: now) : nil
    return .members([
      ("name", .string(w.name)),
      ("schedule", .string(w.scheduleText)),
      ("in_progress", .bool(current != nil)),
      ("starts_at", .string((current?.start ?? next).map(RFC3339.format))),
      ("ends_at", .string((current?.end ?? next.map { $0 + w.length }).map(RFC3339.format))),
      ("matchers", .array(w.matchers.map { .string($0.description) })),
      ("comment", .string(w.comment)),
    ])
  }

  /// The names of the windows in force for `provider`.
  static func active(_ windows: [MaintenanceWindow], provider: String, at now: Timestamp)
    -> [String]
  {
    windows.filter { $0.covers(provider: provider) && $0.occurrence(at: now) != nil }.map(\.name)
  }
}
