"""Projects (`/v3/projects`): a region's project per account and its subprojects."""
