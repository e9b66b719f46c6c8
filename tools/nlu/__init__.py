"""earshot NLU data tools: Home Assistant intents expanded with hassil into labelled text."""
