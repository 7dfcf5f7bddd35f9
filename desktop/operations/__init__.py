"""Operations: the list of missions, their editor, and links to lessons and field cooperation."""
