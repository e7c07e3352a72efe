import Foundation

/// An instance matrix written to a temporary file, since the matrix is read from a path.
struct MatrixFile {
    let path: String

    init(_ text: String) throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("instance-matrix-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    static let staging = """
        environments:
          staging:
            odoo:
              url: https://erp.example.com
              database: erp
              login_env: ODOO_LOGIN
              password_env: ODOO_PASSWORD
            supabase:
              db_url_env: WAREHOUSE_URL
        etl:
          jobs: 3
          retries:
            max_backoff_seconds: 45
        """
}

/// The resolver's stand-in for libpq's connection-string parsing: the password of a URL's userinfo.
func userinfoPassword(_ url: String) -> [String] {
    guard let components = URLComponents(string: url), let password = components.password else { return [] }
    return [password]
}
