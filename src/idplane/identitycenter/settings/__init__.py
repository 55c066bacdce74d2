"""Instance settings: access-control attributes, SSO configuration, MFA device management and
the disaster-recovery (HA) choice."""
