"""Identity Center applications: the catalog of application templates, the application
instances made from them (SAML service provider settings, signing certificates), their
profiles and the users and groups assigned to them. See docs/api/identitycenter-applications.md.
"""
