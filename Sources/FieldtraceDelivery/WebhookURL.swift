import Foundation

/// Checks a webhook URL before it is stored: `http` or `https`, a host, no user info, no
/// fragment, at most `WebhookStore.maxURLBytes`.
///
/// Not checked: where the host points. A tenant admin can aim a webhook at an address inside the
/// server's network (SSRF); deployments that host untrusted tenants should restrict egress.
public enum WebhookURL {
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The URL as given, or `Invalid` saying what is wrong.
    public static func check(_ text: String) throws(Invalid) -> String {
        guard !text.isEmpty, text.utf8.count <= 2048 else { throw Invalid(description: "url must be 1 to 2048 bytes") }
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased() else {
            throw Invalid(description: "url is not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw Invalid(description: "url must be http or https") }
        guard let host = c.host, !host.isEmpty else { throw Invalid(description: "url has no host") }
        guard c.user == nil, c.password == nil else { throw Invalid(description: "url must not carry user info") }
        guard c.fragment == nil else { throw Invalid(description: "url must not have a fragment") }
        return text
    }
}
