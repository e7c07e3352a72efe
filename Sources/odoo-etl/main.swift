import ETLCommands

await ETLCommand.runAndExit()
