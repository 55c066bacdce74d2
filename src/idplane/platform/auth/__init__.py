"""Who is calling: AK/SK signatures, temporary credentials, tokens; all resolve to a `Caller`."""
