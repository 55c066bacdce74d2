"""The directory of an identity store as one whole: what users, groups and memberships share
(scoping, paging, attribute operations, errors), the questions other services ask it
(`principal_exists`), the one way a principal is deleted (with hooks), and the summary."""
