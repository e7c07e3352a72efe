import ArgumentParser

extension AsyncParsableCommand {
    /// Ends the command with the engine's status: nothing to do for success, otherwise the status
    /// travels to the entry point as ArgumentParser's `ExitCode`, without a message of its own
    /// (the engine has already reported what failed).
    func finish(_ status: ExitStatus) throws {
        guard status != .success else { return }
        throw ExitCode(status.rawValue)
    }
}

/// Help text shared by several commands.
enum SharedHelp {
    static let env = ArgumentHelp(
        "The environment: a block under 'environments:' in the instance matrix.",
        valueName: "env")
    static let company = ArgumentHelp(
        "A company by id or exact name; repeat for several (default: every company).",
        valueName: "id|name")
    static let pipeline = ArgumentHelp(
        "Only this pipeline; repeat for several (default: etl.pipelines.enabled).",
        valueName: "name")
    static let source = ArgumentHelp(
        "Read records over Odoo's XML-RPC API, or straight from Odoo's PostgreSQL through "
            + "the read-only URL of odoo.db_url_env (default: etl.extractor).",
        valueName: "source")
}
