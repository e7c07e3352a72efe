import ETLCommands

ETLActionsRegistry.current = EngineActions()
await ETLCommand.runAndExit()
