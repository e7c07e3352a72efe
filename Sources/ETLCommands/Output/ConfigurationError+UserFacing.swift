import InstanceConfig

/// A configuration problem means nothing ran: the usage status, like a bad command line.
extension ConfigurationError: UserFacingError {
    public var exitStatus: ExitStatus { .usage }
}
