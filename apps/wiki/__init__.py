"""The wiki (维基协作): shared knowledge of laws, causes, standards and procedures, with moderated public edits."""
