"""Agency sessions: a principal acting in another account through an agency it assumed."""
