import AtalayaCore
import AtalayaTestSupport
import Foundation
import Logging

/// A real SMTP server (Tests/Scripts/smtp_server.py on aiosmtpd) as a child process on a
/// free loopback port. Its events (messages received, rejections) are JSON lines on its
/// standard output; ``waitForEvents(_:timeout:)`` waits for them with a deadline.
final class SMTPTestServer: Sendable {
  let port: Int
  private let process: ChildProcess
  private let directory: TemporaryDirectory

  static var script: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Scripts/smtp_server.py").path
  }

  init(arguments: [String] = []) async throws {
    directory = try TemporaryDirectory()
    var lastError: (any Error)?
    for _ in 0..<3 {
      let port = FreePort.find()
      let process = try ChildProcess(
        executable: "/usr/bin/python3",
        arguments: ["-u", Self.script, "--port", "\(port)"] + arguments,
        environment: ["PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"],
        directory: directory.path)
      do {
        try await Self.wait(timeout: .seconds(20)) {
          if process.stdout.contains("\"ready\"") { return true }
          if let status = await process.wait(timeout: .zero) {
            throw DriveTimeout(description: "smtp server exited \(status): \(process.stderr)")
          }
          return false
        }
        self.port = port
        self.process = process
        return
      } catch {
        process.terminate()
        lastError = error
      }
    }
    throw lastError ?? DriveTimeout(description: "smtp server did not start")
  }

  var url: String { "smtp://127.0.0.1:\(port)" }

  /// Every event so far (each a JSON object).
  var events: [JSONValue] {
    process.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
      .filter { $0["event"]?.stringValue != "ready" }
  }

  var messages: [JSONValue] { events.filter { $0["event"]?.stringValue == "message" } }

  /// Waits until `condition` holds for the events; throws after `timeout`.
  @discardableResult
  func waitForEvents(
    timeout: Duration = .seconds(30), _ condition: @escaping ([JSONValue]) -> Bool
  ) async throws -> [JSONValue] {
    try await Self.wait(timeout: timeout) { condition(self.events) }
    return events
  }

  func stop() {
    process.terminate()
    directory.cleanup()
  }

  /// Polls `condition` (a child's output file has no event to wait on) until it holds.
  private static func wait(timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
      guard ContinuousClock.now < deadline else {
        throw DriveTimeout(description: "no event within \(timeout)")
      }
      try await Task.sleep(for: .milliseconds(10))
    }
  }
}

/// Keeps every log line (message and metadata) for assertions about what is logged.
struct RecordingLogHandler: LogHandler {
  let lines: Recorder<String>
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace
  var metadataProvider: Logger.MetadataProvider?

  func log(event: LogEvent) {
    let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    lines.append("\(event.level) \(event.message) " + meta.joined(separator: " "))
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }
}
