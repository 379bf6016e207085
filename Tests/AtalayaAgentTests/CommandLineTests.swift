import AtalayaTestSupport
import Foundation
import Simulator
import Testing

/// `atalaya check`, `atalaya probe` and `--version`, run as a user would.
@Suite("atalaya check / probe (real binary)")
struct CommandLineTests {
  private func run(
    _ arguments: [String], env: [String: String] = agentEnvironment(), in dir: TemporaryDirectory
  )
    async throws -> (code: Int32?, stdout: String, stderr: String)
  {
    let child = try ChildProcess(
      executable: BuiltProducts.atalaya, arguments: arguments, environment: env, directory: dir.path
    )
    let code = await child.wait(timeout: .seconds(30))
    return (code, child.stdout, child.stderr)
  }

  @Test func versionPrints() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let r = try await run(["--version"], in: dir)
    #expect(r.code == 0)
    #expect(
      r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
  }

  @Test func checkSummarisesAValidConfig() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let config = TestConfig(
      listenPort: 9999, simulatorPort: 1, providers: ["one", "two"], interval: "30s", timeout: "10s"
    )
    let path = try dir.write("ok.yml", config.yaml)
    let r = try await run(["check", "--config", path], in: dir)
    #expect(r.code == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("valid"))
    #expect(r.stdout.contains("240"))  // 2 checks every 30 s = 240 probes per hour
    #expect(!r.stdout.contains(testAPIKey))
  }

  /// Issue 15, finding 12: a state_dir the agent cannot write was only logged at run time.
  @Test func checkFailsWhenStateDirCannotBeUsed() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    var config = TestConfig(listenPort: 9999, simulatorPort: 1, providers: ["one"])
    config.stateDir = try dir.write("not-a-directory", "x")
    let bad = try await run(["check", "--config", try dir.write("bad.yml", config.yaml)], in: dir)
    #expect(bad.code == 1)
    #expect(bad.stderr.contains("state_dir cannot be used"), "stderr: \(bad.stderr)")
    #expect(bad.stderr.contains("is not a directory"))
    config.stateDir = dir.path + "/state"
    let good = try await run(
      ["check", "--config", try dir.write("good.yml", config.yaml)], in: dir)
    #expect(good.code == 0, "stderr: \(good.stderr)")
  }

  @Test func checkListsEveryErrorWithLineAndColumnAndNoSecret() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let yaml = """
      listen: 127.0.0.1:9478
      window: 10m
      defaults: {interval: 30s, timeout: 15s}
      providers:
        - name: Bad Name
          api_key: \(testAPIKey)
          base_url: http://127.0.0.1:1/v1
          checks:
            - model: m
              slow: fast
              intervall: 5s

      """
    let path = try dir.write("bad.yml", yaml)
    let r = try await run(["check", "--config", path], in: dir)
    #expect(r.code == 1)
    #expect(r.stderr.contains("bad.yml:5:"))  // the name
    #expect(r.stderr.contains("bad.yml:10:"))  // slow
    #expect(r.stderr.contains("bad.yml:11:"))  // the typo
    #expect(r.stderr.contains("providers[0].checks[0].slow"))
    #expect(!r.stderr.contains(testAPIKey))
    #expect(!r.stdout.contains(testAPIKey))
  }

  @Test func checkNamesAMissingEnvironmentVariable() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let config = TestConfig(listenPort: 9999, simulatorPort: 1, providers: ["one"])
    let path = try dir.write("env.yml", config.yaml)
    let r = try await run(["check", "--config", path], env: ["PATH": "/usr/bin:/bin"], in: dir)
    #expect(r.code == 1)
    #expect(r.stderr.contains("TEST_API_KEY"))
  }

  @Test func missingConfigFileIsAClearError() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let r = try await run(["check", "--config", dir.path + "/nope.yml"], in: dir)
    #expect(r.code == 1)
    #expect(r.stderr.contains("nope.yml"))
  }

  @Test func probePrintsATableAndFailsWhenACheckFails() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let providers = [
      SimulatedProvider(name: "good", apiKey: testAPIKey),
      SimulatedProvider(name: "broken", behavior: .fault(.serverError), apiKey: testAPIKey),
    ]
    try await withSimulator(providers) { _, simPort in
      let config = TestConfig(
        listenPort: 9999, simulatorPort: simPort, providers: ["good", "broken"], interval: "30s",
        timeout: "5s")
      let path = try dir.write("probe.yml", config.yaml)
      let all = try await run(["probe", "--config", path], in: dir)
      #expect(all.code == 1)
      #expect(all.stdout.contains("good"))
      #expect(all.stdout.contains("success"))
      #expect(all.stdout.contains("server_error"))
      #expect(all.stdout.contains("500"))
      let one = try await run(["probe", "--config", path, "--provider", "good"], in: dir)
      #expect(one.code == 0, "stdout: \(one.stdout) stderr: \(one.stderr)")
      #expect(!one.stdout.contains("broken"))
      #expect(!one.stdout.contains(testAPIKey))
    }
  }
}
