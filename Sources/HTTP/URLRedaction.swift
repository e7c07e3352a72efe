import Foundation

/// What replaces a secret in a redacted URL.
public let redactionMask = "***"

/// Query and fragment parameter names whose values are secrets (compared case-insensitively,
/// after percent-decoding the name).
public let sensitiveURLParameterNames: Set<String> = [
    "password", "passwd", "key", "token", "api_key", "api-key", "apikey", "access_token", "secret",
]

/// `url` made safe for messages and logs: the userinfo password becomes `***`
/// (`https://user:***@host/...`) and the values of sensitive query or fragment parameters
/// (see `sensitiveURLParameterNames`) become `***`.
///
/// Redaction errs on the side of hiding too much: the userinfo is taken to end at the last `@`
/// before the first `/` of the authority, so an unencoded `#` or `?` inside a password (a URL
/// libcurl would reject) is still hidden rather than split into a "fragment" and printed, and an
/// unencoded `/` in a password (which leaves a non-numeric "port") hides everything up to the last `@`.
public func redactedURL(_ url: String) -> String {
    let authorityStart: String.Index
    if let schemeSeparator = url.range(of: "://") {
        authorityStart = schemeSeparator.upperBound
    } else {
        authorityStart = url.startIndex
    }
    let afterScheme = url[authorityStart...]
    let firstSlash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex

    var result = String(url[..<authorityStart])
    var remainder = afterScheme
    if let userinfoEnd = afterScheme[..<firstSlash].lastIndex(of: "@") {
        let userinfo = afterScheme[..<userinfoEnd]
        if let colon = userinfo.firstIndex(of: ":") {
            result += userinfo[...colon] + redactionMask
        } else {
            result += userinfo
        }
        result += "@"
        remainder = afterScheme[afterScheme.index(after: userinfoEnd)...]
    } else if let (userinfo, userinfoEnd) = malformedUserinfo(afterScheme, authorityEnd: firstSlash),
        let colon = userinfo.firstIndex(of: ":")
    {
        result += userinfo[...colon] + redactionMask + "@"
        remainder = afterScheme[afterScheme.index(after: userinfoEnd)...]
    }
    return result + redactingParameters(inAuthorityAndPath: remainder)
}

/// The userinfo of a URL whose unencoded password contains `/`: the "authority" then ends inside
/// the password and its "port" is not a number. Everything up to the last `@` is taken as userinfo.
private func malformedUserinfo(_ afterScheme: Substring, authorityEnd: String.Index) -> (Substring, String.Index)? {
    let authority = afterScheme[..<authorityEnd]
    guard let lastColon = authority.lastIndex(of: ":"),
        !authority[authority.index(after: lastColon)...].allSatisfy(\.isASCIIDigitCharacter),
        let lastAt = afterScheme.lastIndex(of: "@")
    else { return nil }
    return (afterScheme[..<lastAt], lastAt)
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// Redacts sensitive parameters of the query and the fragment of `host[:port][/path][?query][#fragment]`.
private func redactingParameters(inAuthorityAndPath text: Substring) -> String {
    var beforeFragment = text
    var fragment: Substring?
    if let hash = text.firstIndex(of: "#") {
        beforeFragment = text[..<hash]
        fragment = text[text.index(after: hash)...]
    }
    var result: String
    if let question = beforeFragment.firstIndex(of: "?") {
        result = beforeFragment[...question] + redactingParameterList(beforeFragment[beforeFragment.index(after: question)...])
    } else {
        result = String(beforeFragment)
    }
    if let fragment {
        // Fragments can carry tokens too (OAuth implicit grants put `access_token` there).
        result += "#" + redactingParameterList(fragment)
    }
    return result
}

private func redactingParameterList(_ list: Substring) -> String {
    list.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
        guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
        let name = parameter[..<equals]
        let decodedName = (String(name).removingPercentEncoding ?? String(name)).lowercased()
        return sensitiveURLParameterNames.contains(decodedName) ? name + "=" + redactionMask : String(parameter)
    }.joined(separator: "&")
}
