import Logging

/// Log output: one line per event on stderr (journald adds the timestamp).
public enum LogSetup {
  public static func bootstrap(level: String?) -> Logger.Level {
    let resolved = level.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = resolved
      return handler
    }
    return resolved
  }
}
