/// Byte classes for reading SQL text at the byte offsets the parse tree gives.
extension UInt8 {
    /// `0` to `9`.
    var isASCIIDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }

    /// A space, tab, carriage return or line feed.
    var isASCIIWhitespace: Bool { " \t\r\n".utf8.contains(self) }
}
