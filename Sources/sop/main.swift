import SOPCommands

SOPCommand.main()
