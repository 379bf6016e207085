import Testing

@Test func placeholderAtalayaCoreTests() { #expect(Bool(true)) }
