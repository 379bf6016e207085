import AtalayaTestSupport
import Testing

/// Runs the real `promtool check metrics` on an exposition. Missing promtool is a test
/// failure, not a skip: CI installs it (Debian package `prometheus`).
func promtoolCheck(_ exposition: [UInt8], sourceLocation: SourceLocation = #_sourceLocation)
  async throws
  -> SubprocessResult
{
  _ = try #require(
    Subprocess.which("promtool"),
    "promtool not found on PATH: install it (apt-get install prometheus) to check the exposition format",
    sourceLocation: sourceLocation)
  return try await Subprocess.run("promtool", ["check", "metrics"], stdin: exposition)
}
