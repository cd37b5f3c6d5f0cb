"""Writes for informal learning: the log (`entries`), the district's counting rules (`rules`),
xAPI integrations (`integrations`) and statements (`statements`)."""
