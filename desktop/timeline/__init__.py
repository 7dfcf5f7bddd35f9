"""Time travel: the date control that sets the date the whole window shows."""
