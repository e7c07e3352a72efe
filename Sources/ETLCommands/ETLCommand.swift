import ArgumentParser

public struct ETLCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "odoo-etl", abstract: "Keep a Supabase warehouse in sync with Odoo.")
    public init() {}
}
