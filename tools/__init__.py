"""Developer tools: the model generator and the spec locator. Not shipped in the wheel."""
