import ArgumentParser
import AtalayaAgent
import AtalayaCore

/// `atalaya silence add|list|expire`: the silences API of a running agent.
struct SilenceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "silence",
    abstract: "Add, list and expire silences on a running agent.",
    subcommands: [Add.self, List.self, Expire.self])

  /// Where the agent is and how to authenticate.
  struct Target: ParsableArguments {
    @Option(help: "The agent's URL (default: $ATALAYA_URL, else the config's listen address).")
    var url: String?
    @Option(
      help:
        "File holding the admin bearer token (default: $ATALAYA_ADMIN_TOKEN, else the config's).")
    var tokenFile: String?
    @Option(
      name: [.short, .long],
      help: "Config file to read the listen address and token from (default: $ATALAYA_CONFIG).")
    var config: String?

    func client() async throws -> (SilenceClient, ProbingStack) {
      let target: SilenceTarget
      do {
        target = try await SilenceTarget.resolve(
          url: url, tokenFile: tokenFile, configPath: config,
          environment: ProcessEnvironment.current())
      } catch {
        printError(error.description)
        throw ExitCode(1)
      }
      let stack = ProbingStack()
      return (
        SilenceClient(baseURL: target.url, token: target.token, transport: stack.transport), stack
      )
    }
  }

  struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Silence the alerts the matchers match; prints the new silence's id.",
      discussion:
        "Matchers are Alertmanager's: provider=openai, 'model=~\"gpt-4.*\"', severity!=info. "
        + "A bare word is an alert name: atalaya silence add LLMHighLatency provider=ollama")

    @Argument(help: "Label matchers (name=value, name!=value, name=~regex, name!~regex).")
    var matchers: [String]
    @Option(help: "How long the silence lasts (e.g. 2h, 30m; default 1h).") var duration: String?
    @Option(help: "When it ends (RFC 3339); instead of --duration.") var end: String?
    @Option(help: "When it starts (RFC 3339; default now).") var start: String?
    @Option(help: "Why (required).") var comment: String
    @Option(help: "Who (default: $USER).") var author: String?
    @OptionGroup var target: Target

    func run() async throws {
      var parsed: [LabelMatcher] = []
      for text in matchers {
        let isName = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        do {
          parsed.append(
            isName
              ? try LabelMatcher(name: "alertname", op: .equal, value: text)
              : try LabelMatcher.parse(text))
        } catch {
          printError("\(text): \(error.message)")
          throw ExitCode(1)
        }
      }
      let endAt: SilenceRequest.End
      if let end {
        guard duration == nil else {
          printError("give --duration or --end, not both")
          throw ExitCode(1)
        }
        guard let t = RFC3339.parse(end) else {
          printError("--end: expected an RFC 3339 time such as 2026-12-01T00:00:00Z")
          throw ExitCode(1)
        }
        endAt = .at(t)
      } else {
        guard let d = parseDuration(duration ?? "1h"), d > .zero else {
          printError("--duration: expected a duration such as 2h or 30m")
          throw ExitCode(1)
        }
        endAt = .after(d)
      }
      var startAt: Timestamp?
      if let start {
        guard let t = RFC3339.parse(start) else {
          printError("--start: expected an RFC 3339 time such as 2026-12-01T00:00:00Z")
          throw ExitCode(1)
        }
        startAt = t
      }
      let env = ProcessEnvironment.current()
      let (client, stack) = try await target.client()
      defer { stack.shutdown() }
      do {
        print(
          try await client.add(
            matchers: parsed, startsAt: startAt, end: endAt,
            createdBy: author ?? env["USER"] ?? "atalaya", comment: comment))
      } catch {
        printError(error.description)
        throw ExitCode(1)
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the active and pending silences.")

    @Flag(help: "Also list expired silences (kept for 24 hours).") var expired = false
    @Flag(help: "Print the API's JSON.") var json = false
    @OptionGroup var target: Target

    func run() async throws {
      let (client, stack) = try await target.client()
      defer { stack.shutdown() }
      let now = SystemTimeSource().now()
      do {
        let records = try await client.list().filter {
          expired || $0.state(at: now) != .expired
        }
        if json {
          print(JSONValue.array(records.map { SilenceBook.recordJSON($0, at: now) }).prettyEncoded)
        } else {
          print(SilenceTable.render(records, at: now))
        }
      } catch {
        printError(error.description)
        throw ExitCode(1)
      }
    }
  }

  struct Expire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Expire silences now.")

    @Argument(help: "Silence ids.") var ids: [String]
    @OptionGroup var target: Target

    func run() async throws {
      let (client, stack) = try await target.client()
      defer { stack.shutdown() }
      var failed = false
      for id in ids {
        do {
          try await client.expire(id: id)
          print("expired \(id)")
        } catch {
          printError(error.description)
          failed = true
        }
      }
      if failed { throw ExitCode(1) }
    }
  }
}
