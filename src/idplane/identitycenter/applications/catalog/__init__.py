"""The application catalog: providers, catalog applications and their templates."""
