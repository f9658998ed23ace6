import SOPCommands

SOPCommand.runMain()
