import AtalayaTestSupport
import Foundation
import Testing

/// alerts/atalaya-slo.rules.yml: what `atalaya rules` prints for the example config, clean
/// in `promtool check rules`, and its unit tests pass.
@Suite struct SLORulesTests {
  static var rules: String { ShippingFiles.root + "/alerts/atalaya-slo.rules.yml" }
  static var tests: String { ShippingFiles.root + "/alerts/atalaya-slo.rules.test.yml" }

  @Test func theShippedRulesAreWhatAtalayaRulesPrints() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    _ = try dir.write("openrouter_api_key", ExampleConfigTests.fakeKey + "\n")
    let child = try ChildProcess(
      executable: BuiltProducts.atalaya,
      arguments: ["rules", "--config", ShippingFiles.exampleConfig],
      environment: ["PATH": "/usr/bin:/bin", "CREDENTIALS_DIRECTORY": dir.path],
      directory: dir.path)
    defer { child.terminate() }
    let status = try #require(await child.wait(timeout: .seconds(20)))
    #expect(status == 0, "\(child.stderr)")
    #expect(
      child.stdout == (try ShippingFiles.text(Self.rules)),
      "alerts/atalaya-slo.rules.yml is stale: regenerate it with `atalaya rules --config packaging/atalaya.yml`"
    )
  }

  @Test func promtoolCheckRulesIsClean() async throws {
    let result = try await Subprocess.run("promtool", ["check", "rules", Self.rules])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("SUCCESS: 11 rules found"), "\(result.output)")
    #expect(!result.output.contains("WARNING"), "\(result.output)")
  }

  @Test func promtoolUnitTestsPass() async throws {
    let result = try await Subprocess.run("promtool", ["test", "rules", Self.tests])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("SUCCESS"), "\(result.output)")
  }
}
