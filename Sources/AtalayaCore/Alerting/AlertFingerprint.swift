/// Stable identities of alerts: 64-bit FNV-1a over the sorted labels, in hex.
public enum AlertFingerprint {
  /// 16 hex digits; the same labels always give the same fingerprint, across runs
  /// and machines (name and value separated by 0xff, as Prometheus does).
  public static func of(_ labels: [String: String]) -> String {
    var bytes: [UInt8] = []
    for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
      bytes += Array(name.utf8)
      bytes.append(0xff)
      bytes += Array(value.utf8)
      bytes.append(0xff)
    }
    return hex(fnv1a(bytes))
  }

  /// 64-bit FNV-1a.
  public static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
