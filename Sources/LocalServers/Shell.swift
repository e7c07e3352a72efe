import Foundation

/// Text for `/bin/sh -c`, for cleanup commands that must run after this process is gone.
public enum Shell {
    /// `text` in single quotes, safe as one word whatever it contains.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
