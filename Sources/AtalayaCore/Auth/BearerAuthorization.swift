/// Checks an `Authorization` header against a configured bearer token: the scheme
/// matched case-insensitively (RFC 9110 §11.1), the token compared in constant time.
public enum BearerAuthorization {
  /// True when `header` is `Bearer <token>` (any case of "Bearer", spaces after it).
  public static func matches(_ header: String?, token: Secret) -> Bool {
    guard let header else { return false }
    let bytes = Array(header.utf8)
    let scheme = Array("bearer".utf8)
    guard bytes.count > scheme.count,
      zip(bytes, scheme).allSatisfy({ lowercased($0) == $1 }),
      bytes[scheme.count] == 0x20
    else { return false }
    let given = bytes[(scheme.count + 1)...].drop { $0 == 0x20 }
    return constantTimeEqual(Array(given), Array(token.reveal().utf8))
  }

  /// Compares without stopping at the first difference.
  public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var diff = UInt8(a.count == b.count ? 0 : 1)
    for i in 0..<max(a.count, b.count) {
      diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
    }
    return diff == 0
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
  }
}
