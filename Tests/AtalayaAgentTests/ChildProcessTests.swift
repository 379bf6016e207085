import AtalayaTestSupport
import Glibc
import Testing

/// The test helper that starts the real binary: a child gets stdin, stdout and stderr and
/// nothing else, so a socket a concurrent test holds is never kept open by a child.
@Suite struct ChildProcessTests {
  @Test func childInheritsOnlyTheStandardDescriptors() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let leaky = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)  // no CLOEXEC on purpose
    defer { close(leaky) }
    #expect(leaky > 2)
    let child = try ChildProcess(
      executable: "/bin/ls", arguments: ["/proc/self/fd"], environment: [:], directory: dir.path)
    #expect(await child.wait(timeout: .seconds(10)) == 0)
    // ls itself opens the directory it lists (one more descriptor, numbered 3).
    let fds = child.stdout.split(separator: "\n").compactMap { Int($0) }
    #expect(!fds.contains(Int(leaky)) || Int(leaky) == 3, "\(fds)")
    #expect(fds.allSatisfy { $0 <= 3 }, "\(fds)")
  }
}
