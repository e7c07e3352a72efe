import ETLCommands

ETLCommand.main()
