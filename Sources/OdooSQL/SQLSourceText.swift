/// Stored text as an XML-RPC client receives it from Odoo, so that both sources give the same
/// strings: Odoo's marshaller drops the ASCII control characters XML 1.0 cannot carry (all below
/// 0x20 but tab, newline and carriage return), and the client's XML parser turns every line end
/// (CR LF, lone CR) into LF, as XML requires.
enum SQLSourceText {
    static func asDelivered(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte < 0x20 && byte != 0x09 && byte != 0x0A {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for byte in text.utf8 {
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { continue }
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            output.append(byte == 0x0D ? 0x0A : byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
