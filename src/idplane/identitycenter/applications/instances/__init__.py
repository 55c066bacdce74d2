"""Application instances: made from a catalog template, configured for SAML single sign-on."""
